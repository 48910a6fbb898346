import { Injectable, Logger } from '@nestjs/common';
import { DeviceRepository, IncidentRepository, SubscriberRepository, toId } from '@isp/data';
import { JobName, judgeFlapping, NodeState, type FlapPolicy } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { DiagnosticsConfig } from '../config/diagnostics.config';
import { ChangeAnnouncerService } from '../incidents/change-announcer.service';
import { IncidentLifecycleService } from '../incidents/incident-lifecycle.service';
import { TopologyCacheService } from '../topology/topology-cache.service';
import { SubjectHistory } from './subject-history';

/**
 * Applies flap detection (libs/domain judgeFlapping) to subscribers and devices: counts their
 * state changes, and when one starts flapping gives the one notice of its level (a feed notice;
 * the subscriber's own Level 1 messages and the device's pages stop: IncidentLifecycleService
 * keeps one incident open for the flapping period), and a delayed flap-check job ends it after
 * the quiet period. Times are diagnostics' receipt times (a rate, not an order: the router
 * clock's offset does not matter here).
 */
@Injectable()
export class FlappingService {
  private readonly log = new Logger(FlappingService.name);

  constructor(
    private readonly history: SubjectHistory,
    private readonly topology: TopologyCacheService,
    private readonly users: SubscriberRepository,
    private readonly devices: DeviceRepository,
    private readonly incidents: IncidentRepository,
    private readonly lifecycle: IncidentLifecycleService,
    private readonly announcer: ChangeAnnouncerService,
    private readonly producer: JobProducer,
    private readonly config: DiagnosticsConfig,
  ) {}

  private get policy(): FlapPolicy {
    return { maxChanges: this.config.FLAP_MAX_CHANGES, windowMs: this.config.FLAP_WINDOW_MS, quietMs: this.config.FLAP_QUIET_MS };
  }

  /** A state change of the node (not a repeat, not stale). */
  async changed(nodeId: string, receivedAt: Date, event: 'up' | 'down'): Promise<void> {
    const changes = await this.history.recordChange(nodeId, receivedAt, event);
    const since = await this.history.flappingSince(nodeId);
    const d = judgeFlapping(this.policy, { changes, flappingSince: since, now: receivedAt.getTime() });
    if (d.action !== 'start') return;
    // The check first: a retry of this job after a failure in between finds the claim taken,
    // and a second check is harmless (the end is claimed once).
    await this.scheduleCheck(nodeId, d.checkAt);
    if (!(await this.history.claimFlapping(nodeId, d.since))) return;
    await this.started(nodeId, new Date(d.since), d.changes);
  }

  /** flap-check job: stable again after the quiet period, or look again later. */
  async check(nodeId: string): Promise<'not flapping' | 'still flapping' | 'ended'> {
    const since = await this.history.flappingSince(nodeId);
    if (since === null) return 'not flapping';
    const d = judgeFlapping(this.policy, { changes: await this.history.changes(nodeId), flappingSince: since, now: Date.now() });
    if (d.action === 'wait') {
      await this.scheduleCheck(nodeId, d.checkAt);
      return 'still flapping';
    }
    if (d.action === 'end' && (await this.history.releaseFlapping(nodeId))) await this.ended(nodeId, new Date());
    return 'ended';
  }

  private async scheduleCheck(nodeId: string, at: number): Promise<void> {
    await this.producer.add(JobName.FLAP_CHECK, { nodeId }, { delay: Math.max(0, at - Date.now()) });
  }

  private async started(nodeId: string, since: Date, changes: number): Promise<void> {
    const node = this.topology.graph.get(nodeId);
    if (!node) return;
    this.log.warn({ node: node.name, kind: node.kind, changes, windowMs: this.config.FLAP_WINDOW_MS }, 'flapping: one notice, no page per flap until it is quiet');
    if (node.kind === 'subscriber') {
      await this.users.setFlapping(nodeId, since);
      const user = await this.users.findById(nodeId);
      await this.announcer.nodeState('subscriber', nodeId, node.name, user?.state ?? NodeState.UNKNOWN, { flapping: 'started' });
      return;
    }
    if (node.kind !== 'device') return;
    await this.devices.setFlapping(nodeId, since);
    // An incident open for it now follows the flapping: its next UP does not resolve it.
    const open = await this.incidents.findOpenFor({ kind: 'device', id: toId(nodeId) });
    const marked = open && !open.flappingSince ? await this.incidents.updateOpen(open._id, { flappingSince: since }) : open;
    const device = await this.devices.findById(nodeId);
    await this.announcer.nodeState('device', nodeId, node.name, device?.status?.state ?? NodeState.UNKNOWN, { flapping: 'started', ...(marked && { incidentId: String(marked._id) }) });
  }

  private async ended(nodeId: string, at: Date): Promise<void> {
    const node = this.topology.graph.get(nodeId);
    if (!node) return;
    this.log.log({ node: node.name, kind: node.kind, quietMs: this.config.FLAP_QUIET_MS }, 'flapping ended: quiet for the whole period');
    if (node.kind === 'subscriber') {
      await this.users.setFlapping(nodeId, null);
      const user = await this.users.findById(nodeId);
      await this.announcer.nodeState('subscriber', nodeId, node.name, user?.state ?? NodeState.UNKNOWN, { flapping: 'ended' });
      return;
    }
    if (node.kind !== 'device') return;
    await this.devices.setFlapping(nodeId, null);
    const device = await this.devices.findById(nodeId);
    const state = device?.status?.state ?? NodeState.UNKNOWN;
    const open = await this.incidents.findOpenFor({ kind: 'device', id: toId(nodeId) });
    if (open?.flappingSince) {
      if (state === NodeState.UP) {
        // Stable and up: the flapping incident is over. Whoever was paged for it hears RESOLVED;
        // one opened while flapping paged nobody, so its RESOLVED goes to the feed only.
        await this.lifecycle.resolve(String(open._id), at, `${node.name} stopped flapping, up`, { evenIfFlapping: true });
      } else {
        // Stable and down: an outage like any other from now on, paged as one.
        const outage = await this.incidents.updateOpen(open._id, { flappingSince: null });
        if (outage) await this.announcer.incidentChanged(outage, 'opened');
      }
    }
    await this.announcer.nodeState('device', nodeId, node.name, state, { flapping: 'ended', ...(open && { incidentId: String(open._id) }) });
  }
}
