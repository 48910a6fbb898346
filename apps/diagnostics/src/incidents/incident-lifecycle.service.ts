import { Injectable, Logger } from '@nestjs/common';
import {
  countByKind,
  followUp,
  incidentLevel,
  isMonitoringNotice,
  isRedundancyLost,
  MONITORING_DEGRADED,
  NodeState,
  planRootCause,
  provenUpBy,
  REDUNDANCY_LOST,
  ROUTER_SILENT,
  type FindingView,
  type IncidentChange,
  type OpenIncidentView,
  type RootCauseKind,
  type TopologyGraph,
} from '@isp/domain';
import {
  DeviceRepository,
  IncidentRepository,
  MikrotikRouterRepository,
  SubscriberRepository,
  toId,
  UserDowntimeLogRepository,
  type EvidenceHop,
  type Incident,
  type Subscriber,
} from '@isp/data';
import { ProbeService, type ProbeResult } from '../probing/probe.service';
import { TopologyCacheService } from '../topology/topology-cache.service';
import { ChangeAnnouncerService } from './change-announcer.service';
import { RouterStateCache } from './router-state-cache.service';
import { OutageMarks } from './outage-marks.service';
import { UpMarks } from './up-marks.service';

function viewOf(i: Incident): OpenIncidentView {
  return {
    id: String(i._id),
    rootId: String(i.rootCause.id),
    level: i.level,
    escalatedLevel: i.escalatedLevel,
    openedAt: new Date(i.openedAt),
    revision: i.revision,
    impactedDevices: i.impactedDevices,
    impactedSubscribers: i.impactedSubscribers,
    pendingChange: i.pendingChange,
  };
}

export interface RootCauseReport {
  root: string;
  /** Nodes below the root that are unreachable because of it. */
  impacted: string[];
  /** Top-down hops the decision rests on, ending at the root. */
  evidence: string[];
  results: ReadonlyMap<string, ProbeResult>;
  /** Start of the outage: the earliest DOWN fact it explains, or when it was detected. */
  since: Date;
  /** The root is flapping since then: a new incident opens marked flapping (nobody paged per flap). */
  flappingSince?: Date | null;
}

/**
 * Turns walk findings into the record: node states with `since`, downtime logs, one open
 * Incident per root cause (the unique dedupeKey makes replicas and retries converge on one),
 * impacted counts kept current, and the announcement to the notifier and the feed. Also the way back: UP facts
 * close logs and resolve the incidents whose root cause is reachable again.
 */
@Injectable()
export class IncidentLifecycleService {
  private readonly log = new Logger(IncidentLifecycleService.name);
  /** Outage records being written in this replica, by incident id (markOutage). */
  private readonly marking = new Map<string, Promise<void>>();

  constructor(
    private readonly topology: TopologyCacheService,
    private readonly incidents: IncidentRepository,
    private readonly devices: DeviceRepository,
    private readonly routers: MikrotikRouterRepository,
    private readonly users: SubscriberRepository,
    private readonly downtime: UserDowntimeLogRepository,
    private readonly announcer: ChangeAnnouncerService,
    private readonly routerStates: RouterStateCache,
    private readonly probes: ProbeService,
    private readonly ups: UpMarks,
    private readonly marks: OutageMarks,
  ) {}

  private get graph(): TopologyGraph {
    return this.topology.graph;
  }

  /** A subscriber whose own session ended while the path to it is up: DOWN itself, Level 1 only. */
  async subscriberDown(userId: string, since: Date): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user) return;
    if (user.isSuspended) return this.subscriberSuspended(user, since, false);
    await this.downtime.open({ user: user._id, router: user.router, station: user.station ?? null, building: user.building ?? null, startedAt: since, cause: 'self' });
    if (user.state !== NodeState.DOWN) {
      // Notify before writing the state: a retry then re-sends the same job id (deduped)
      // instead of finding the state written and the notification lost. A flapping subscriber
      // had its one flapping notice: no Level 1 message per flap.
      if (!user.flappingSince) await this.announcer.subscriberStatus(userId, NodeState.DOWN, since);
      await this.users.setObservedState([userId], NodeState.DOWN, since, { isOnline: false, lastOfflineAt: since });
    }
  }

  /**
   * A suspended subscriber's session came or went: suspension is its own state, not an outage
   * nor service. No downtime log (a log still open from before the suspension ends now), no
   * subscriber notice; the session's presence is kept (a PPPoE user may sit in the walled garden).
   */
  private async subscriberSuspended(user: Subscriber, at: Date, online: boolean): Promise<void> {
    const closed = await this.downtime.close(user._id, at);
    await this.users.update(user._id, { state: NodeState.SUSPENDED, isOnline: online, ...(user.state !== NodeState.SUSPENDED && { stateSince: at }), ...(online ? { lastOnlineAt: at } : { lastOfflineAt: at }) });
    // It answers: an outage its log was labelled with is over as far as it can tell.
    if (online && closed?.incident) await this.resolve(String(closed.incident), at, 'a subscriber behind the root cause is back');
  }

  /**
   * Records a root cause: opens its incident (or finds the open one, or re-roots an open
   * incident further down that this outage swallowed), hands the change off, then marks states
   * and downtime logs.
   */
  async rootCause(report: RootCauseReport): Promise<Incident | null> {
    const g = this.graph;
    const node = g.get(report.root);
    if (!node) return null;
    if (node.kind === 'subscriber') {
      await this.subscriberDown(report.root, report.since);
      return null;
    }
    const counts = countByKind(g, report.impacted);
    // Stations, infrastructure (devices other than stations, and routers) and subscribers apart.
    const impactedDevices = counts.devices - counts.stations + counts.routers;
    const impactedStations = counts.stations;
    const building = node.kind === 'building' ? node.id : node.buildingId;
    const kind = node.kind as RootCauseKind;
    // An uplink whose dependents all still have another path: "redundancy lost", not an outage.
    const type = isRedundancyLost(g, node.id, report.impacted) ? REDUNDANCY_LOST : node.type;
    const rootCause = { kind, id: toId(node.id), name: node.name, type };
    const level = incidentLevel(node);
    const path = this.evidence(report);

    const finding: FindingView = { rootId: node.id, level, impacted: report.impacted, impactedDevices, impactedSubscribers: counts.subscribers };
    // A monitoring notice (degraded, silent) is no outage: never re-rooted or merged into one.
    const outages = (await this.incidents.findOpen()).filter((i) => !isMonitoringNotice(i.rootCause.type));
    const plan = planRootCause(outages.map(viewOf), finding);

    let incident: Incident | null = plan.action === 'keep' ? await this.incidents.findById(plan.incidentId) : null;
    let written: IncidentChange | null = null;
    let opened = false;
    if (plan.action === 'reroot') {
      // The outage grew upwards: the older incident follows its new root, so whoever is
      // working on it keeps one thread instead of a fresh page.
      try {
        const moved = await this.incidents.updateOpen(plan.incidentId, {
          pendingChange: plan.change,
          openedAt: report.since,
          rootCause,
          dedupeKey: `open:${kind}:${node.id}`,
          level,
          escalatedLevel: plan.escalatedLevel,
          building: building ? toId(building) : null,
          buildingName: building ? g.get(building)?.name : undefined,
          impactedDevices,
          impactedStations,
          impactedSubscribers: counts.subscribers,
          path,
        });
        if (moved) {
          incident = moved;
          written = plan.change;
        }
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err; // another replica opened it meanwhile
      }
      // A merge is not a recovery: no RESOLVED page, states untouched (markOutage relabels them).
      if (incident) for (const other of plan.merge) await this.merge(other, incident);
    }
    if (!incident || incident.state === 'resolved') {
      // A notice standing at this root would take the outage's place (one open incident per root).
      const notice = await this.incidents.findOpenFor({ kind, id: toId(node.id) });
      if (notice && isMonitoringNotice(notice.rootCause.type)) await this.resolve(String(notice._id), new Date(), `${node.name}: superseded by an outage`);
      const created = await this.incidents.openOrGet({
        rootCause,
        building: building ? toId(building) : null,
        buildingName: building ? g.get(building)?.name : undefined,
        level,
        openedAt: new Date(),
        impactedDevices,
        impactedStations,
        impactedSubscribers: counts.subscribers,
        path,
        ...(report.flappingSince && { flappingSince: report.flappingSince }),
      });
      incident = created.incident;
      opened = true;
    }
    const next = followUp(viewOf(incident), finding, written, opened);
    let change = next.change;
    if (next.resize && change) {
      // rootCause too: a "redundancy lost" that now cuts nodes off is an outage (and back).
      const updated = await this.incidents.updateOpen(incident._id, { rootCause, impactedDevices, impactedStations, impactedSubscribers: counts.subscribers, path, pendingChange: change });
      if (updated) incident = updated;
      else change = incident.pendingChange ?? null;
    }
    if (change) {
      await this.announcer.incidentChanged(incident, change);
      if (incident.pendingChange) await this.incidents.clearPendingChange(incident._id, incident.pendingChange);
    }
    await this.markOutage(incident, report);
    return incident;
  }

  private evidence(report: RootCauseReport): EvidenceHop[] {
    return report.evidence.map((id) => {
      const n = this.graph.get(id)!;
      const r = report.results.get(id);
      const state = id === report.root ? NodeState.DOWN : ((r?.state ?? 'UP') as NodeState);
      return {
        kind: n.kind === 'building' ? 'router' : n.kind,
        id: toId(id),
        name: n.name,
        state,
        ...(r?.rttMs !== undefined && { rttMs: r.rttMs }),
        detail: r?.detail ?? (r ? undefined : n.kind === 'building' ? 'building' : 'reported events'),
        at: r ? new Date(r.at) : new Date(),
      };
    }).filter((h) => this.graph.get(String(h.id))?.kind !== 'building');
  }

  /**
   * Batches of one outage record it one after another in this replica: the first writes the
   * subtree and the rest find it recorded (OutageMarks). At once, each would write all of it.
   */
  private markOutage(incident: Incident, report: RootCauseReport): Promise<void> {
    const key = String(incident._id);
    const run = (this.marking.get(key) ?? Promise.resolve()).catch(() => undefined).then(() => this.recordOutage(incident, report));
    this.marking.set(key, run);
    return run.finally(() => {
      if (this.marking.get(key) === run) this.marking.delete(key);
    });
  }

  private async recordOutage(incident: Incident, report: RootCauseReport): Promise<void> {
    const g = this.graph;
    const since = report.since;
    const root = g.get(report.root)!;
    // What an earlier batch of this outage wrote is not written again (OutageMarks), unless the node was UP since.
    const began = new Date();
    const fresh = await this.marks.unrecorded(String(incident._id), report.impacted, await this.ups.read(report.impacted));
    const byKind = (kind: string) => fresh.filter((id) => g.get(id)?.kind === kind);
    if (root.kind === 'device') await this.devices.markState([root.id], NodeState.DOWN, since, incident._id);
    if (root.kind === 'router') await this.setRouter(root.id, NodeState.DOWN, since, incident._id);
    if (root.kind === 'building') for (const r of g.routersOf(root.id)) await this.setRouter(r, NodeState.DOWN, since, incident._id);
    await this.devices.markState(byKind('device'), NodeState.IMPACTED, since, incident._id);
    for (const r of byKind('router')) await this.setRouter(r, NodeState.IMPACTED, since, incident._id);
    // Suspended subscribers are out of service on purpose: not impacted, no downtime.
    const impactedSubs = byKind('subscriber');
    const suspended = await this.users.findSuspendedIds([...new Set(impactedSubs.map((id) => g.get(id)!.routerId!).filter(Boolean))]);
    // A session that came up after the outage began is newer evidence and stays UP: the UP storm
    // after a reboot, handled while a heartbeat's older verdict is still being written.
    const upSince = await this.ups.upAfter(impactedSubs, since);
    const subs = impactedSubs.filter((id) => !suspended.has(id) && !upSince.has(id));
    if (subs.length) {
      const docs = subs.map((id) => {
        const n = g.get(id)!;
        const station = n.parents[0] && g.get(n.parents[0])?.kind === 'device' ? toId(n.parents[0]) : null;
        return { user: toId(id), router: toId(n.routerId!), station, building: n.buildingId ? toId(n.buildingId) : null };
      });
      const t0 = Date.now();
      await this.downtime.openMany(docs, since, 'impacted', incident._id);
      const t1 = Date.now();
      await this.users.setObservedState(subs, NodeState.IMPACTED, since, { isOnline: false, lastOfflineAt: since });
      this.log.debug({ subscribers: subs.length, logsMs: t1 - t0, statesMs: Date.now() - t1 }, 'outage recorded');
      // UPs handled while this outage was being written (after the read above) were overwritten
      // by it: applied again, so the later event wins.
      for (const [id, at] of await this.ups.upAfter(subs, since)) await this.nodeUp(id, at);
    }
    // Only what was written: a subscriber left alone (suspended, or UP since the outage began) is looked at again next time.
    const written = new Set(subs);
    await this.marks.recorded(String(incident._id), fresh.filter((id) => g.get(id)?.kind !== 'subscriber' || written.has(id)), began);
    await this.announcer.nodeState(root.kind, root.id, root.name, NodeState.DOWN, { incidentId: String(incident._id), impacted: report.impacted.length });
  }

  /** A router's state, in the database and in the cache the heartbeat reads. */
  async setRouter(id: string, state: NodeState, at: Date, incident: Incident['_id'] | null): Promise<void> {
    const router = await this.routers.findById(id);
    if (!router) return;
    const same = router.status?.state === state;
    await this.routerStates.forget(id);
    await this.routers.setStatus(id, { state, ...(same ? {} : { since: at }), lastCheckAt: at, ...(state === NodeState.UP && { lastSeenAt: at }), incident: incident ?? undefined });
    await this.routerStates.set(id, state);
  }

  /** Root ids of the open outages (not degraded-monitoring notices): who already has an incident. */
  async openRootIds(): Promise<Set<string>> {
    return new Set((await this.incidents.findOpen()).filter((i) => !isMonitoringNotice(i.rootCause.type)).map((i) => String(i.rootCause.id)));
  }

  /** Root ids of the open outages that cut someone off (not "redundancy lost", not monitoring notices). */
  async openOutageRootIds(): Promise<Set<string>> {
    return new Set((await this.incidents.findOpen()).filter((i) => !isMonitoringNotice(i.rootCause.type) && i.rootCause.type !== REDUNDANCY_LOST).map((i) => String(i.rootCause.id)));
  }

  /**
   * A node or subscriber answered (UP event, heartbeat, or a walk found it up): mark it up,
   * close its downtime log, and resolve the open incidents whose root cause it proves reachable
   * (the node itself or any ancestor on its path).
   */
  async nodeUp(nodeId: string, at: Date): Promise<void> {
    const g = this.graph;
    const node = g.get(nodeId);
    if (!node) return;
    if (node.kind === 'subscriber') {
      const user = await this.users.findById(nodeId);
      if (!user) return;
      if (user.isSuspended) return this.subscriberSuspended(user, at, true);
      const closed = await this.downtime.close(nodeId, at);
      if (user.state === NodeState.DOWN && !user.flappingSince) await this.announcer.subscriberStatus(nodeId, NodeState.UP, at);
      await this.users.setObservedState([nodeId], NodeState.UP, at, { isOnline: true, lastOnlineAt: at });
      if (closed?.incident) {
        // Only a root every path of the subscriber passes through is proven up by its session.
        const incident = await this.incidents.findById(closed.incident);
        if (incident && provenUpBy(g, nodeId).has(String(incident.rootCause.id))) await this.resolve(String(incident._id), at, 'a subscriber behind the root cause is back');
      }
      return;
    }
    // A DOWN still cached from the outage must not make the next walk blame it again.
    await this.probes.forget(nodeId);
    if (node.kind === 'device') await this.devices.markState([nodeId], NodeState.UP, at, null);
    if (node.kind === 'router') await this.setRouter(nodeId, NodeState.UP, at, null);
    // Not the primary ancestors: a node back over its redundant uplink proves nothing about the failed one.
    const proven = provenUpBy(g, nodeId);
    for (const incident of await this.incidents.findOpen()) {
      const rootId = String(incident.rootCause.id);
      // Degraded monitoring ends only when the router's own API answers, not when traffic behind it flows.
      if (incident.rootCause.type === MONITORING_DEGRADED && rootId !== nodeId) continue;
      if (proven.has(rootId)) await this.resolve(String(incident._id), at, `${node.name} is up`);
    }
    await this.announcer.nodeState(node.kind, node.id, node.name, NodeState.UP);
  }

  /**
   * Resolves once (replicas race safely). Only the root goes UP: the event or probe that resolved
   * it is evidence for the root alone. Nodes below go UP on their own evidence (their UP events;
   * their downtime logs stay open until then); devices still IMPACTED are probed again by the
   * leftover re-probe, and one still down gets its own finding. A flapping incident is not
   * resolved by one UP: only when its flapping ends (FlappingService, `evenIfFlapping`).
   */
  async resolve(incidentId: string, at: Date, reason: string, opts: { evenIfFlapping?: boolean } = {}): Promise<void> {
    const resolved = await this.incidents.resolve(incidentId, at, opts);
    if (!resolved) return;
    this.log.log({ incident: incidentId, reason }, 'incident resolved');
    await this.announcer.incidentChanged(resolved, 'resolved');
    const g = this.graph;
    const rootId = String(resolved.rootCause.id);
    const root = g.get(rootId);
    if (!root) return;
    // A silent router's notice marked nothing: its state is the heartbeat's to say.
    if (resolved.rootCause.type === ROUTER_SILENT) return;
    if (resolved.rootCause.type === MONITORING_DEGRADED) {
      // Nothing was marked below it: only the router's own state goes back.
      await this.setRouter(rootId, NodeState.UP, at, null);
      return;
    }
    if (root.kind === 'device') await this.devices.markState([rootId], NodeState.UP, at, null);
    // A building's routers each answer for themselves (the heartbeat), as does any router.
    if (root.kind === 'router') await this.setRouter(rootId, NodeState.UP, at, null);
    await this.announcer.nodeState(root.kind, root.id, root.name, NodeState.UP, { incidentId });
  }

  /** A swallowed incident closed as "merged into" the one that carries on: nobody paged, nothing marked. */
  private async merge(incidentId: string, into: Incident): Promise<void> {
    const merged = await this.incidents.merge(incidentId, into._id, new Date());
    if (!merged) return;
    this.log.log({ incident: incidentId, into: String(into._id), root: into.rootCause.name }, 'incident merged into a wider outage');
    await this.announcer.incidentMerged(merged, into);
  }

  /** Open incidents rooted at a node (router heartbeat recovery). */
  async resolveRootedAt(nodeIds: string[], at: Date, reason: string): Promise<void> {
    const ids = new Set(nodeIds);
    for (const incident of await this.incidents.findOpen()) if (ids.has(String(incident.rootCause.id))) await this.resolve(String(incident._id), at, reason);
  }
}
