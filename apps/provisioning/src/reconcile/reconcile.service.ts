import { Injectable, Logger } from '@nestjs/common';
import { DeviceRepository, MikrotikRouterRepository, PlanRepository, SubscriberRepository, type MikrotikRouter } from '@isp/data';
import { JobName, SyncStatus } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { dhcpLeaseScript, netwatchDownScript, netwatchUpScript, pppOnDownScript, pppOnUpScript, type SnitchOptions } from '@isp/routeros';
import { ProvisioningConfig } from '../config/provisioning.config';
import { planDeparture } from '../planning/departure.planner';
import { planProfiles } from '../planning/plan.planner';
import { planSnitches, foldIntoAdds, type SnitchTexts } from '../planning/snitch.planner';
import { planSubscribers, type DesiredSubscriber, type Orphan } from '../planning/subscriber.planner';
import { Menu } from '../planning/router-ops';
import { planSuspension } from '../planning/suspension.planner';
import { errorMessage } from '../router-access/router-failure';
import { formerNamesHere } from '../sync/desired-subscriber';
import { PlanExecutor } from '../sync/plan-executor';
import { RouterReader } from '../sync/router-reader';
import { SubscriberSyncService } from '../sync/subscriber-sync.service';
import { RouterPassLock } from './router-pass.lock';
import { WebhookTokenVault } from './webhook-token.vault';

export interface ReconcileReport {
  router: string;
  /** writes the plan needed (drifted, missing or orphaned entries, kicks excluded) */
  drift: number;
  writes: number;
  kicked: number;
  orphans: Orphan[];
  conflicts: string[];
  refused: number;
  scripts: 'verified' | 'no-token';
}

function rosMajor(version: string | undefined): 6 | 7 {
  return version && /^6\./.test(version) ? 6 : 7;
}

/**
 * The 15-minute repair pass for one router: everything provisioning manages (tagged entries,
 * subscribers' secrets/queues/list entries, the suspended profile, snitch scripts, one Netwatch
 * entry per Device) is diffed against the database with one print per menu, and only what
 * differs is written. Untagged entries are never changed; tagged ones without a database
 * record are reported as orphans (and removed unless ORPHAN_POLICY=report).
 */
@Injectable()
export class ReconcileService {
  private readonly logger = new Logger(ReconcileService.name);

  constructor(
    private readonly routers: MikrotikRouterRepository,
    private readonly users: SubscriberRepository,
    private readonly devices: DeviceRepository,
    private readonly reader: RouterReader,
    private readonly executor: PlanExecutor,
    private readonly sync: SubscriberSyncService,
    private readonly tokens: WebhookTokenVault,
    private readonly producer: JobProducer,
    private readonly lock: RouterPassLock,
    private readonly config: ProvisioningConfig,
    private readonly plans: PlanRepository,
  ) {}

  /** The scheduler's tick: one reconcile job per router (deduplicated per router). */
  async fanOut(): Promise<number> {
    const ids = await this.routers.findIds();
    await this.producer.addBulk(JobName.RECONCILE_ROUTER, ids.map((routerId) => ({ routerId })));
    return ids.length;
  }

  /** One pass over one router (syncRouter and reconcile alike), never two at once on a router. */
  reconcileRouter(routerId: string): Promise<ReconcileReport | { skipped: string }> {
    return this.lock.run(routerId, () => this.pass(routerId, 1));
  }

  private async pass(routerId: string, round: number): Promise<ReconcileReport | { skipped: string }> {
    const router = await this.routers.findById(routerId);
    if (!router) return { skipped: 'router not found' };
    const [users, devices, token, leaving] = await Promise.all([
      this.users.findAll({ router: router._id }),
      this.devices.findAll({ router: router._id }),
      this.tokens.tokenFor(router),
      this.users.findLeavingRouter(router._id),
    ]);
    const plans = new Map((await this.plans.findByIds([...new Set(users.flatMap((u) => (u.planId ? [String(u.planId)] : [])))])).map((p) => [String(p._id), p]));
    const names = new Set(users.map((u) => u.username));
    // Subscribers that moved away from this router: what they left here goes in this pass too.
    const departures = leaving
      .filter((u) => String(u.router) !== routerId)
      .map((u) => ({ userId: String(u._id), names: (u.leftBehind ?? []).filter((e) => String(e.router) === routerId).map((e) => e.username) }));
    const desired: DesiredSubscriber[] = [];
    const movedIn: string[] = [];
    const versions = new Map<string, { version: number; synced: boolean }>();
    for (const u of users) {
      const d = await this.sync.desiredOrRecord(u, plans, formerNamesHere(u, names));
      if (!d) continue;
      desired.push(d);
      versions.set(d.id, { version: u.desiredVersion, synced: u.syncStatus === SyncStatus.SYNCED && u.appliedVersion === u.desiredVersion });
      // Moved here, old router not cleaned yet: not synced until its own syncUser has done that.
      if ((u.leftBehind ?? []).some((e) => String(e.router) !== routerId)) movedIn.push(d.id);
    }
    const policy = this.sync.policy();

    try {
      const suspension = this.sync.suspensionPolicy();
      const [observed, snitchRows, suspensionRows] = await Promise.all([
        this.reader.subscribersOfRouter(routerId, [policy.suspendedList, ...[...plans.values()].flatMap((p) => (p.addressList ? [p.addressList] : []))]),
        token ? this.reader.snitchTargets(routerId) : Promise.resolve(undefined),
        this.reader.suspensionRows(routerId, suspension),
      ]);
      const subPlan = planSubscribers({
        users: desired,
        observed,
        policy,
        // A moved subscriber's rows are planned below as its departure, not as orphans.
        routerUserIds: new Set([...users.map((u) => String(u._id)), ...departures.map((d) => d.userId)]),
        orphanPolicy: this.config.ORPHAN_POLICY,
      });
      // The plans' PPP profiles (of the plans PPPoE subscribers here are on) come first.
      const profilePlan = planProfiles(desired.flatMap((d) => (d.plan && d.serviceType === 'pppoe' ? [d.plan] : [])).filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i), observed.profiles);
      const departureOps = departures.flatMap((d) => planDeparture(d, { ...observed, active: observed.active ?? [] }, names));
      // The suspension set-up is installed on every router, suspended subscribers or not.
      let ops = [...profilePlan.ops, ...subPlan.ops, ...departureOps, ...planSuspension({ policy: suspension, ...suspensionRows })];
      const orphans = [...subPlan.orphans];
      const conflicts = [...profilePlan.conflicts, ...subPlan.conflicts, ...subPlan.untouched];
      if (token && snitchRows) {
        // A profile this pass creates is represented by a placeholder so its scripts ride on the add.
        const creating = ops.flatMap((o) => (o.op === 'add' && o.menu === Menu.PROFILE ? [o.props.name] : []));
        const profiles = [...observed.profiles, ...creating.map((name) => ({ '.id': `new:${name}`, name }))];
        const snitch = planSnitches({
          texts: this.scriptTexts(router, token),
          profileNames: new Set([...desired.map((d) => d.profile), policy.suspendedProfile]),
          devices: devices.map((d) => ({ id: String(d._id), name: d.name, host: d.ipAddress })),
          netwatchInterval: this.config.NETWATCH_INTERVAL,
          observed: { profiles, ...snitchRows },
          orphanPolicy: this.config.ORPHAN_POLICY,
        });
        ops = foldIntoAdds([...ops, ...snitch.ops]);
        orphans.push(...snitch.orphans);
        conflicts.push(...snitch.conflicts);
      }
      const applied = await this.executor.apply(routerId, ops, this.config.ROUTER_MAX_CONCURRENT);
      const applyNow: { id: string; version: number }[] = [];
      for (const d of desired) {
        const v = versions.get(d.id)!;
        // A repaired drift changes nothing in the database: the subscriber was applied already.
        if (!applied.refused.has(d.id) && !applied.unkicked.has(d.id) && !v.synced && !movedIn.includes(d.id)) applyNow.push({ id: d.id, version: v.version });
      }
      await this.users.markAppliedMany(applyNow);
      await this.producer.addBulk(JobName.SYNC_USER, movedIn.map((userId) => ({ userId })));
      // Old names and moved-away subscribers whose rows this pass removed: nothing left here.
      const done = (id: string) => !applied.refused.has(id) && !applied.unkicked.has(id);
      for (const d of departures) if (done(d.userId)) await this.users.clearLeftBehind(d.userId, routerId, d.names);
      for (const u of users) {
        const here = (u.leftBehind ?? []).filter((e) => String(e.router) === routerId).map((e) => e.username);
        if (here.length && done(String(u._id))) await this.users.clearLeftBehind(u._id, routerId, here);
      }
      await this.sync.handOver(new Map([...applied.refused, ...applied.unkicked]));
      await this.routers.update(router._id, { lastReconcileAt: new Date() });
      await this.sync.routerReachable(router, false);
      const report: ReconcileReport = {
        router: router.name,
        drift: ops.filter((o) => o.op !== 'kick').length,
        writes: applied.writes,
        kicked: applied.kicked,
        orphans,
        conflicts: [...conflicts, ...applied.otherErrors],
        refused: applied.refused.size,
        scripts: token ? 'verified' : 'no-token',
      };
      // A token rotated while this pass ran: a job for it was deduplicated into this one, so go again.
      const fresh = await this.routers.findById(router._id);
      if (round < 3 && fresh && fresh.webhookTokenEncrypted !== router.webhookTokenEncrypted) return this.pass(routerId, round + 1);
      const level = report.drift || orphans.length || report.conflicts.length ? 'log' : 'debug';
      this.logger[level]({
        msg: 'router reconciled',
        router: router.name,
        drift: report.drift,
        writes: report.writes,
        kicked: report.kicked,
        orphans: orphans.length,
        orphanEntries: orphans.slice(0, 20).map((o) => `${o.menu} ${o.name}`),
        conflicts: report.conflicts.slice(0, 20),
        scripts: report.scripts,
      });
      return report;
    } catch (err) {
      this.logger.warn({ msg: 'reconcile failed', router: router.name, error: errorMessage(err) });
      return this.sync.routerFailed(router, [], err);
    }
  }

  private scriptTexts(router: MikrotikRouter, token: string): SnitchTexts {
    const o: SnitchOptions = { ingestBaseUrl: this.config.INGEST_PUBLIC_URL, token, rosMajor: rosMajor(router.rosVersion) };
    return {
      pppUp: pppOnUpScript(o),
      pppDown: pppOnDownScript(o),
      dhcpLease: dhcpLeaseScript(o),
      netwatch: (d) => ({ up: netwatchUpScript({ ...o, host: d.host, deviceName: d.name }), down: netwatchDownScript({ ...o, host: d.host, deviceName: d.name }) }),
    };
  }
}
