import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
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
 * keeps one incident open for the flapping period), and the periodic flap-check (one BullMQ job
 * scheduler, FLAP_CHECK_INTERVAL_MS) ends it after the quiet period. Periodic rather than one
 * delayed job per subject: nothing waits in the queue for minutes on behalf of a flapping node. Times are diagnostics' receipt times (a rate, not an order: the router
 * clock's offset does not matter here).
 */
export const FLAP_CHECK_SCHEDULER_ID = 'flapping-check';

@Injectable()
export class FlappingService implements OnApplicationBootstrap {
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

  async onApplicationBootstrap(): Promise<void> {
    await this.producer.schedule(FLAP_CHECK_SCHEDULER_ID, this.config.FLAP_CHECK_INTERVAL_MS, JobName.FLAP_CHECK, {});
  }

  private get policy(): FlapPolicy {
    return { maxChanges: this.config.FLAP_MAX_CHANGES, windowMs: this.config.FLAP_WINDOW_MS, quietMs: this.config.FLAP_QUIET_MS };
  }

  /** A state change of the node (not a repeat, not stale). */
  async changed(nodeId: string, receivedAt: Date, event: 'up' | 'down'): Promise<void> {
    const changes = await this.history.recordChange(nodeId, receivedAt, event);
    const since = await this.history.flappingSince(nodeId);
    const d = judgeFlapping(this.policy, { changes, flappingSince: since, now: receivedAt.getTime() });
    if (d.action !== 'start' || !(await this.history.claimFlapping(nodeId, d.since))) return;
    await this.started(nodeId, new Date(d.since), d.changes);
  }

  /** flap-check job: each flapping node quiet for the whole period is stable again. */
  async check(): Promise<{ flapping: number; ended: number }> {
    const nodes = await this.history.flappingNodes();
    let ended = 0;
    for (const nodeId of nodes) {
      const since = await this.history.flappingSince(nodeId);
      const d = since === null ? null : judgeFlapping(this.policy, { changes: await this.history.changes(nodeId), flappingSince: since, now: Date.now() });
      if (d?.action === 'wait') continue;
      // Quiet (or its claim is gone, e.g. a retry after the end was claimed): the one that releases it announces.
      if (await this.history.releaseFlapping(nodeId)) {
        await this.ended(nodeId, new Date());
        ended++;
      }
    }
    return { flapping: nodes.length - ended, ended };
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
