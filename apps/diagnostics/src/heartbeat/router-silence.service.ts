import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { IncidentRepository, MikrotikRouterRepository, toId, type RouterLivenessFacts } from '@isp/data';
import { isSilent, JobName, lastWebhookKey, lastWebhooksFrom, NodeState, ROUTER_SILENT } from '@isp/domain';
import { JobProducer, PLATFORM_REDIS } from '@isp/platform';
import { DiagnosticsConfig } from '../config/diagnostics.config';
import { ChangeAnnouncerService } from '../incidents/change-announcer.service';
import { IncidentLifecycleService } from '../incidents/incident-lifecycle.service';
import { TopologyCacheService } from '../topology/topology-cache.service';

export const ROUTER_SILENCE_SCHEDULER_ID = 'router-silence-check';

/**
 * Silence that looks like health: a router whose scripts never fire and whose API nobody hears
 * shows every subscriber as fine. Every ROUTER_SILENCE_CHECK_INTERVAL_MS (one job scheduler for
 * all replicas) each router is judged by libs/domain isSilent: no webhook (diagnostics' per-kind
 * hash, kept for the coverage report too) and no API answer (heartbeat or router pass) for
 * ROUTER_SILENT_AFTER_MS. A silent router gets one notice (an incident typed router-silent,
 * Level 3, routed to network admins at normal priority), unless an incident already stands for
 * it (its outage says more); the notice is resolved when the router speaks again.
 */
@Injectable()
export class RouterSilenceService implements OnApplicationBootstrap {
  private readonly log = new Logger(RouterSilenceService.name);

  constructor(
    private readonly routers: MikrotikRouterRepository,
    private readonly incidents: IncidentRepository,
    private readonly lifecycle: IncidentLifecycleService,
    private readonly announcer: ChangeAnnouncerService,
    private readonly topology: TopologyCacheService,
    private readonly producer: JobProducer,
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    private readonly config: DiagnosticsConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.producer.schedule(ROUTER_SILENCE_SCHEDULER_ID, this.config.ROUTER_SILENCE_CHECK_INTERVAL_MS, JobName.ROUTER_SILENCE_CHECK, {});
  }

  async check(): Promise<{ silent: number; notified: number; cleared: number }> {
    const routers = await this.routers.findLiveness();
    const notices = new Map((await this.incidents.findOpen()).filter((i) => i.rootCause.type === ROUTER_SILENT).map((i) => [String(i.rootCause.id), i]));
    const now = new Date();
    let silent = 0;
    let notified = 0;
    let cleared = 0;
    // Every router's webhook times in one pipeline: one read per router, one round trip for all.
    const tx = this.redis.pipeline();
    for (const r of routers) tx.hgetall(lastWebhookKey(this.config.QUEUE_PREFIX, String(r._id)));
    const hooks = ((await tx.exec()) ?? []).map(([err, hash]) => {
      if (err) throw err;
      return hash as Record<string, string>;
    });
    for (const [i, r] of routers.entries()) {
      const id = String(r._id);
      const quiet = this.isSilent(r, hooks[i], now.getTime());
      const notice = notices.get(id);
      if (quiet) {
        silent++;
        if (!notice && (await this.notify(r, now))) notified++;
      } else if (notice) {
        await this.lifecycle.resolve(String(notice._id), now, `${r.name} speaks again`);
        cleared++;
      }
    }
    if (notified || cleared) this.log.log({ silent, notified, cleared }, 'router silence checked');
    return { silent, notified, cleared };
  }

  private isSilent(r: RouterLivenessFacts, lastWebhooks: Record<string, string>, now: number): boolean {
    const hooks = Object.values(lastWebhooksFrom(lastWebhooks)).map((d) => d.getTime());
    const answered = [r.status?.lastSeenAt, r.lastReconcileAt].flatMap((d) => (d ? [new Date(d).getTime()] : []));
    return isSilent({
      now,
      lastWebhookAt: hooks.length ? Math.max(...hooks) : undefined,
      lastAnsweredAt: answered.length ? Math.max(...answered) : undefined,
      createdAt: r.createdAt ? new Date(r.createdAt).getTime() : undefined,
      silentAfterMs: this.config.ROUTER_SILENT_AFTER_MS,
    });
  }

  /** Opens the notice once (replicas race safely on the open-incident key); false when an incident already stands. */
  private async notify(r: RouterLivenessFacts, at: Date): Promise<boolean> {
    const g = this.topology.graph;
    const id = String(r._id);
    if (await this.incidents.findOpenFor({ kind: 'router', id: toId(id) })) return false;
    const building = r.building ? String(r.building) : undefined;
    const detail = `no webhook and no API answer for ${Math.round(this.config.ROUTER_SILENT_AFTER_MS / 1000)} s`;
    const { incident, created } = await this.incidents.openOrGet({
      rootCause: { kind: 'router', id: toId(id), name: r.name, type: ROUTER_SILENT },
      building: building ? toId(building) : null,
      buildingName: building ? g.get(building)?.name : undefined,
      level: 3,
      openedAt: at,
      impactedDevices: 0,
      impactedSubscribers: 0,
      path: [{ kind: 'router', id: toId(id), name: r.name, state: NodeState.UNKNOWN, detail, at }],
    });
    if (!created || incident.rootCause.type !== ROUTER_SILENT) return false;
    await this.announcer.incidentChanged(incident, 'opened');
    this.log.warn({ router: r.name, detail }, 'router silent: its monitoring cannot be believed');
    return true;
  }
}
