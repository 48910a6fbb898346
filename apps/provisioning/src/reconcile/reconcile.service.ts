import { Injectable, Logger } from '@nestjs/common';
import { adoptionOf, DeviceRepository, MikrotikRouterRepository, PlanRepository, SubscriberRepository, type DriftItem, type MikrotikRouter } from '@isp/data';
import { JobName, routerPassProgress, SyncStatus, type RouterPassProgress } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { dhcpLeaseScript, netwatchDownScript, netwatchUpScript, pppOnDownScript, pppOnUpScript, snitchDialect, type SnitchOptions } from '@isp/routeros';
import { ProvisioningConfig } from '../config/provisioning.config';
import { adoptFromRouter, withAdopted } from '../drift/adoption';
import { applyDriftPolicy, parseDriftPolicy, rowKey, untaggedExtras, type AdoptedFields } from '../drift/drift-policy';
import { currentDeployment, withScriptDeployment } from '../planning/managed-tag';
import { planDeparture } from '../planning/departure.planner';
import { planProfiles } from '../planning/plan.planner';
import { planSnitches, foldIntoAdds, type SnitchTexts } from '../planning/snitch.planner';
import { planSubscribers, type DesiredSubscriber, type Orphan } from '../planning/subscriber.planner';
import { Menu } from '../planning/router-ops';
import { planSuspension } from '../planning/suspension.planner';
import { errorMessage } from '../router-access/router-failure';
import type { RosRow } from '../router-access/router-api';
import { formerNamesHere } from '../sync/desired-subscriber';
import { PlanExecutor } from '../sync/plan-executor';
import { RouterReader } from '../sync/router-reader';
import { SubscriberSyncService } from '../sync/subscriber-sync.service';
import { PresenceReporter } from './presence-reporter.service';
import { RouterPassLock } from './router-pass.lock';
import { RouterSubscribersReader } from './router-subscribers.reader';
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
  scripts: 'verified' | 'no-token' | 'not-checked';
  /** snitch script entries this pass wrote (installed or repaired) */
  scriptsRepaired?: number;
  /** adoption: the read-only first pass of a router found with someone else's state (nothing written) */
  mode: 'adoption' | 'adopt' | 'reconcile';
  /** per field: what differed and what the pass did (GET /routers/:id/drift) */
  items: DriftItem[];
}

export type PassResult = Omit<ReconcileReport, 'items'> & { differences: number };

/** Items kept on the router record per pass (a 2,000-subscriber router's first report can be long). */
const MAX_DRIFT_ITEMS = 2000;


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
  private readonly driftPolicies: ReturnType<typeof parseDriftPolicy>;

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
    private readonly presence: PresenceReporter,
    private readonly config: ProvisioningConfig,
    private readonly plans: PlanRepository,
    private readonly subscribersOf: RouterSubscribersReader,
  ) {
    this.driftPolicies = parseDriftPolicy(config.DRIFT_POLICY);
  }

  /** The scheduler's tick: one reconcile job per router (deduplicated per router). */
  async fanOut(): Promise<number> {
    const ids = await this.routers.findIds();
    await this.producer.addBulk(JobName.RECONCILE_ROUTER, ids.map((routerId) => ({ routerId })));
    return ids.length;
  }

  /**
   * One pass over one router (syncRouter and reconcile alike), never two at once on a router;
   * `progress` hears each stage. The job's result counts the drift items; the items themselves
   * are on the router (GET .../drift), not copied into every finished job kept in Redis.
   */
  async reconcileRouter(routerId: string, progress: (p: RouterPassProgress) => Promise<unknown> = async () => undefined): Promise<PassResult | { skipped: string }> {
    const r = await this.lock.run(routerId, () => this.pass(routerId, 1, { items: [], writes: 0, kicked: 0 }, progress));
    if (!('items' in r)) return r;
    const { items, ...rest } = r;
    return { ...rest, differences: items.length };
  }

  /** `earlier`: what the rounds before this one did (a re-pass after a token rotation adds to one report). */
  private async pass(
    routerId: string,
    round: number,
    earlier: Pick<ReconcileReport, 'items' | 'writes' | 'kicked'>,
    progress: (p: RouterPassProgress) => Promise<unknown>,
  ): Promise<ReconcileReport | { skipped: string }> {
    const router = await this.routers.findById(routerId);
    if (!router) return { skipped: 'router not found' };
    // A router found with someone else's state: read and report only, until an operator approves.
    const adoption = adoptionOf(router);
    const mode = adoption === 'pending' ? 'adoption' : adoption === 'approved' ? 'adopt' : 'reconcile';
    const [{ users, leaving }, devices, token] = await Promise.all([
      this.subscribersOf.read(String(router._id)),
      this.devices.findAll({ router: router._id }),
      mode === 'adoption' ? Promise.resolve(undefined) : this.tokens.tokenFor(router),
    ]);
    const plans = new Map((await this.plans.findByIds([...new Set(users.flatMap((u) => (u.planId ? [String(u.planId)] : [])))])).map((p) => [String(p._id), p]));
    const names = new Set(users.map((u) => u.username));
    // Subscribers that moved away from this router: what they left here goes in this pass too.
    const departures = leaving
      .filter((u) => String(u.router) !== routerId)
      .map((u) => ({ userId: String(u._id), names: (u.leftBehind ?? []).filter((e) => String(e.router) === routerId).map((e) => e.username) }));
    let desired: DesiredSubscriber[] = [];
    const movedIn: string[] = [];
    const versions = new Map<string, { version: number; synced: boolean }>();
    const stored = new Map(users.map((u) => [String(u._id), u]));
    for (const u of users) {
      const d = await this.sync.desiredOrRecord(u, plans, formerNamesHere(u, names));
      if (!d) continue;
      desired.push(d);
      versions.set(d.id, { version: u.desiredVersion, synced: u.syncStatus === SyncStatus.SYNCED && u.appliedVersion === u.desiredVersion });
      // Moved here, old router not cleaned yet: not synced until its own syncUser has done that.
      if ((u.leftBehind ?? []).some((e) => String(e.router) !== routerId)) movedIn.push(d.id);
    }
    const policy = this.sync.policy();
    await progress(routerPassProgress('loaded', { subscribers: users.length }));

    try {
      const suspension = this.sync.suspensionPolicy();
      const [resource, observed, snitchRows, suspensionRows] = await Promise.all([
        this.reader.systemResource(routerId),
        this.reader.subscribersOfRouter(routerId, [policy.suspendedList, ...[...plans.values()].flatMap((p) => (p.addressList ? [p.addressList] : []))]),
        token ? this.reader.snitchTargets(routerId) : Promise.resolve(undefined),
        this.reader.suspensionRows(routerId, suspension),
      ]);
      // The version the router reports, not the one typed at creation, picks the script dialect;
      // an upgrade is seen here and the scripts below are re-planned in the new dialect.
      const seen = await this.observeVersion(router, resource);
      // Lost webhooks: the sessions just read against the state read before them.
      await this.presence.report(routerId, users, observed, new Date());
      await progress(routerPassProgress('read', { subscribers: users.length }));
      const items: DriftItem[] = [];
      let adopted = new Map<string, AdoptedFields>();
      if (mode !== 'reconcile') {
        const found = adoptFromRouter(desired.map((d) => ({ desired: d, stored: stored.get(d.id)! })), observed.secrets, policy.suspendedProfile);
        adopted = found.fields;
        items.push(...found.items);
        desired = desired.map((d) => withAdopted(d, adopted.get(d.id)));
      }
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
      let scriptsRepaired = 0;
      let snitchFound: { missing: string[]; conflicts: string[]; hooks: string[]; netwatch: number } | undefined;
      if (token && snitchRows) {
        // A profile this pass creates is represented by a placeholder so its scripts ride on the add.
        const creating = ops.flatMap((o) => (o.op === 'add' && o.menu === Menu.PROFILE ? [o.props.name] : []));
        const profiles = [...observed.profiles, ...creating.map((name) => ({ '.id': `new:${name}`, name }))];
        const snitch = planSnitches({
          texts: this.scriptTexts(seen, token),
          profileNames: new Set([...desired.map((d) => d.profile), policy.suspendedProfile]),
          devices: devices.map((d) => ({
            id: String(d._id),
            name: d.name,
            host: d.ipAddress,
            interval: d.deviceType === 'station' ? this.config.NETWATCH_STATION_INTERVAL : undefined,
            isNew: !router.scriptsVerifiedAt || !d.createdAt || d.createdAt > router.scriptsVerifiedAt,
          })),
          // Static subscribers have no PPP or DHCP hook: Netwatch on their address tells their outage.
          subscribers: desired.flatMap((d) =>
            d.serviceType === 'static' && d.staticIp
              ? [{ id: d.id, name: d.username, host: d.staticIp, interval: this.config.NETWATCH_STATION_INTERVAL, isNew: !router.scriptsVerifiedAt || !stored.get(d.id)?.createdAt || stored.get(d.id)!.createdAt! > router.scriptsVerifiedAt }]
              : [],
          ),
          netwatchInterval: this.config.NETWATCH_INTERVAL,
          observed: { profiles, ...snitchRows },
          orphanPolicy: this.config.ORPHAN_POLICY,
          verifiedHooks: new Set(router.scriptHooks ?? []),
        });
        scriptsRepaired = snitch.ops.length;
        // Before the first verification every entry is an install, not a loss.
        snitchFound = { missing: router.scriptsVerifiedAt ? snitch.missing : [], conflicts: snitch.conflicts, hooks: snitch.hooks, netwatch: snitch.netwatchEntries };
        ops = foldIntoAdds([...ops, ...snitch.ops]);
        orphans.push(...snitch.orphans);
        conflicts.push(...snitch.conflicts);
      }
      const drift = applyDriftPolicy({
        // Never kick on adoption: sessions carry on, and take the adopted state when they redial.
        ops: mode === 'reconcile' ? ops : ops.filter((o) => o.op !== 'kick'),
        rows: this.observedRows([
          [Menu.SECRET, observed.secrets],
          [Menu.QUEUE, observed.queues],
          [Menu.ADDRESS_LIST, [...observed.addressList, ...suspensionRows.garden]],
          [Menu.PROFILE, observed.profiles],
          [Menu.LEASE, observed.leases ?? []],
          [Menu.FILTER, suspensionRows.filter],
          [Menu.DHCP_SERVER, snitchRows?.dhcpServers ?? []],
          [Menu.NETWATCH, snitchRows?.netwatch ?? []],
        ]),
        users: new Map(desired.map((d) => [d.id, { desired: d, synced: versions.get(d.id)!.synced }])),
        policies: this.driftPolicies,
        suspendedProfile: policy.suspendedProfile,
      });
      items.push(...drift.items, ...untaggedExtras(observed, new Set(desired.map((d) => d.username))));
      for (const [id, f] of drift.adopt) adopted.set(id, { ...adopted.get(id), ...f });
      ops = drift.ops;
      if (mode === 'adoption') return await this.awaitApproval(router, items, orphans, conflicts);
      for (const [id, f] of adopted) await this.users.adoptFromRouter(id, versions.get(id)!.version, f);
      await progress(routerPassProgress('planned', { subscribers: users.length, ops: ops.length }));
      const applied = await this.executor.apply(routerId, ops, this.config.ROUTER_MAX_CONCURRENT);
      await progress(routerPassProgress('applied', { subscribers: users.length, ops: ops.length }));
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
      await this.routers.update(router._id, { lastReconcileAt: new Date(), ...(snitchFound ? this.scriptsRecord(seen, snitchFound, snitchFound.netwatch) : {}) });
      await this.sync.routerReachable(router, false);
      const report: ReconcileReport = {
        router: router.name,
        drift: ops.filter((o) => o.op !== 'kick').length,
        writes: earlier.writes + applied.writes,
        kicked: earlier.kicked + applied.kicked,
        orphans,
        conflicts: [...conflicts, ...applied.otherErrors],
        refused: applied.refused.size,
        scripts: token ? 'verified' : 'no-token',
        scriptsRepaired,
        mode,
        items: [...earlier.items, ...items],
      };
      // A token rotated while this pass ran: a job for it was deduplicated into this one, so go again
      // (an approved adoption stays one: the router is marked adopted after the last round).
      const fresh = await this.routers.findById(router._id);
      if (round < 3 && fresh && fresh.webhookTokenEncrypted !== router.webhookTokenEncrypted) return this.pass(routerId, round + 1, report, progress);
      if (mode === 'adopt') await this.routers.markAdopted(router._id);
      await this.recordDrift(router, report);
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
        mode,
      });
      return report;
    } catch (err) {
      this.logger.warn({ msg: 'reconcile failed', router: router.name, error: errorMessage(err) });
      return this.sync.routerFailed(router, [], err);
    }
  }

  /** Stores what the router reports about itself when it changed; returns the router as it is now. */
  private async observeVersion(router: MikrotikRouter, r: { version?: string; boardName?: string; architecture?: string }): Promise<MikrotikRouter> {
    if (!r.version) return router;
    const now = { rosVersion: r.version, boardName: r.boardName, architecture: r.architecture, rosVersionObservedAt: new Date() };
    if (router.rosVersion !== r.version || router.boardName !== r.boardName || !router.rosVersionObservedAt) {
      if (router.rosVersion && router.rosVersion !== r.version) this.logger.log({ msg: 'router version changed', router: router.name, from: router.rosVersion, to: r.version });
      await this.routers.update(router._id, now);
    }
    return { ...router, ...now };
  }

  /** What the coverage report reads of this pass's script check (GET /api/v1/coverage). */
  private scriptsRecord(router: MikrotikRouter, found: { missing: string[]; conflicts: string[]; hooks: string[] }, netwatchEntries: number): Partial<MikrotikRouter> {
    return {
      netwatchEntries,
      scriptDialect: snitchDialect(router.rosVersion) ?? 'v7-json',
      scriptsVerifiedAt: new Date(),
      scriptsMissing: found.missing.slice(0, 50),
      scriptConflicts: found.conflicts.slice(0, 50),
      scriptHooks: found.hooks,
    };
  }

  /** The read-only first pass: the report is all it leaves, the router stays untouched. */
  private async awaitApproval(router: MikrotikRouter, items: DriftItem[], orphans: Orphan[], conflicts: string[]): Promise<ReconcileReport> {
    const report: ReconcileReport = { router: router.name, drift: 0, writes: 0, kicked: 0, orphans, conflicts, refused: 0, scripts: 'not-checked', mode: 'adoption', items };
    await this.recordDrift(router, report);
    await this.routers.setSyncStatus(router._id, SyncStatus.PENDING, `awaiting adoption: ${items.length} difference(s) reported, nothing written (POST /api/v1/routers/${String(router._id)}/adopt)`);
    this.logger.log({ msg: 'router awaiting adoption: reported, nothing written', router: router.name, differences: items.length });
    return report;
  }

  private async recordDrift(router: MikrotikRouter, report: ReconcileReport): Promise<void> {
    await this.routers.setDrift(router._id, {
      at: new Date(),
      mode: report.mode,
      applied: report.mode !== 'adoption',
      deployment: currentDeployment(),
      writes: report.writes,
      kicked: report.kicked,
      items: report.items.slice(0, MAX_DRIFT_ITEMS),
      truncated: Math.max(0, report.items.length - MAX_DRIFT_ITEMS),
    });
  }

  private observedRows(menus: [Menu, RosRow[]][]): Map<string, RosRow> {
    return new Map(menus.flatMap(([menu, rows]) => rows.map((r): [string, RosRow] => [rowKey(menu, r['.id']), r])));
  }

  private scriptTexts(router: MikrotikRouter, token: string): SnitchTexts {
    // An unknown version gets 7.13+'s scripts (what every router got before the dialects).
    const o: SnitchOptions = { ingestBaseUrl: this.config.INGEST_PUBLIC_URL, token, dialect: snitchDialect(router.rosVersion) ?? 'v7-json' };
    // The marker carries our deployment: another deployment's scripts are not ours to rewrite.
    const t = withScriptDeployment;
    return {
      pppUp: t(pppOnUpScript(o)),
      pppDown: t(pppOnDownScript(o)),
      dhcpLease: t(dhcpLeaseScript(o)),
      netwatch: (d) => ({ up: t(netwatchUpScript({ ...o, host: d.host, deviceName: d.name })), down: t(netwatchDownScript({ ...o, host: d.host, deviceName: d.name })) }),
    };
  }
}
