import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DeviceRepository, MikrotikRouterRepository, SubscriberRepository, type Device, type MikrotikRouter, type Subscriber } from '@isp/data';
import { hasControlChars, judgeCoverage, lastWebhookKey, lastWebhooksFrom, NotFoundError } from '@isp/domain';
import { PLATFORM_REDIS } from '@isp/platform';
import { assertBuildingScope } from '../auth/building-scope';
import type { Principal } from '../auth/roles';
import { ApiGatewayConfig } from '../config/api-gateway.config';
import type { CoverageReportDto, RefusedNameDto, RouterCoverageDto, UncoveredDto } from './coverage.dto';

const ms = (d: Date | undefined | null) => (d ? new Date(d).getTime() : undefined);
const shown = (v: string) => v.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`); // eslint-disable-line no-control-regex

/** Why a subscriber has no way to report its state; undefined when it has one. */
export function missingStatusSource(u: Pick<Subscriber, 'serviceType' | 'staticIp' | 'macAddress'>): string | undefined {
  switch (u.serviceType) {
    case 'pppoe':
      return undefined; // the PPP profile's on-up/on-down
    case 'dhcp':
      // The lease script's events are matched by MAC, or by the leased address.
      return u.macAddress || u.staticIp ? undefined : 'DHCP subscriber with neither MAC nor address: its lease events match nobody';
    default:
      // Static: a Netwatch entry on its address is its only source.
      return u.staticIp ? undefined : 'static subscriber without an address: nothing to watch';
  }
}

/**
 * The coverage report (GET /api/v1/coverage, GET /routers/:id/coverage): per router, what the
 * last router pass verified, when it last heard from the router (webhooks by kind, from the
 * hash diagnostics keeps; heartbeat; router pass), and what cannot report at all. The verdict
 * is libs/domain's judgeCoverage.
 */
@Injectable()
export class CoverageService {
  constructor(
    private readonly routers: MikrotikRouterRepository,
    private readonly devices: DeviceRepository,
    private readonly users: SubscriberRepository,
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    private readonly config: ApiGatewayConfig,
  ) {}

  async report(_p: Principal): Promise<CoverageReportDto> {
    const [routers, devices, users] = await Promise.all([this.routers.findAll(), this.devices.findAll(), this.users.findAll()]);
    const now = Date.now();
    const byRouter = <T extends { router?: unknown }>(rows: T[]) => {
      const m = new Map<string, T[]>();
      for (const r of rows) m.set(String(r.router), [...(m.get(String(r.router)) ?? []), r]);
      return m;
    };
    const d = byRouter(devices);
    const u = byRouter(users);
    const out: RouterCoverageDto[] = [];
    for (const r of routers) out.push(await this.routerCoverage(r, d.get(String(r._id)) ?? [], u.get(String(r._id)) ?? [], now));
    const count = (v: string) => out.filter((r) => r.verdict === v).length;
    return {
      generatedAt: new Date(now),
      silentAfterMs: this.config.ROUTER_SILENT_AFTER_MS,
      summary: { covered: count('covered'), degraded: count('degraded'), silent: count('silent') },
      routers: out,
    };
  }

  async forRouter(id: string, p: Principal): Promise<RouterCoverageDto> {
    const r = await this.routers.findById(id);
    if (!r) throw new NotFoundError('Router', id);
    assertBuildingScope(p, r.building);
    const [devices, users] = await Promise.all([this.devices.findAll({ router: r._id }), this.users.findAll({ router: r._id })]);
    return this.routerCoverage(r, devices, users, Date.now());
  }

  private async routerCoverage(r: MikrotikRouter, devices: Device[], users: Subscriber[], now: number): Promise<RouterCoverageDto> {
    const webhooks = lastWebhooksFrom(await this.redis.hgetall(lastWebhookKey(this.config.QUEUE_PREFIX, String(r._id))));
    const verified = ms(r.scriptsVerifiedAt);
    // A device added after the last verified pass has no entry until the next pass writes it.
    const devicesWithoutNetwatch: UncoveredDto[] = devices
      .filter((dev) => verified === undefined || (ms(dev.createdAt) ?? 0) > verified)
      .map((dev) => ({ id: String(dev._id), name: dev.name, why: verified === undefined ? 'the router scripts were never verified' : 'added after the last router pass' }));
    const subscribersWithoutStatusSource: UncoveredDto[] = users.flatMap((s) => {
      const why = missingStatusSource(s);
      return why ? [{ id: String(s._id), name: s.username, why }] : [];
    });
    const namesRefused: RefusedNameDto[] = [
      ...(hasControlChars(r.name) ? [{ kind: 'router', id: String(r._id), field: 'name', value: shown(r.name) }] : []),
      ...devices.filter((dev) => hasControlChars(dev.name)).map((dev) => ({ kind: 'device', id: String(dev._id), field: 'name', value: shown(dev.name) })),
      ...users.filter((s) => hasControlChars(s.username)).map((s) => ({ kind: 'subscriber', id: String(s._id), field: 'username', value: shown(s.username) })),
    ];
    const lastWebhookAt = Math.max(-Infinity, ...Object.values(webhooks).map((w) => w.getTime()));
    // The API answered: a heartbeat found it up, or a router pass completed.
    const lastAnsweredAt = Math.max(ms(r.status?.lastSeenAt) ?? -Infinity, ms(r.lastReconcileAt) ?? -Infinity);
    const judged = judgeCoverage({
      now,
      lastWebhookAt: Number.isFinite(lastWebhookAt) ? lastWebhookAt : undefined,
      lastAnsweredAt: Number.isFinite(lastAnsweredAt) ? lastAnsweredAt : undefined,
      createdAt: ms(r.createdAt),
      silentAfterMs: this.config.ROUTER_SILENT_AFTER_MS,
      hasWebhookToken: Boolean(r.webhookTokenHash),
      rosVersionObservedAt: ms(r.rosVersionObservedAt),
      scriptsVerifiedAt: verified,
      scriptsMissing: r.scriptsMissing ?? [],
      scriptConflicts: r.scriptConflicts ?? [],
      devicesWithoutNetwatch: devicesWithoutNetwatch.length,
      subscribersWithoutStatusSource: subscribersWithoutStatusSource.length,
      namesRefused: namesRefused.length,
    });
    return {
      id: String(r._id),
      name: r.name,
      building: r.building ? String(r.building) : undefined,
      verdict: judged.verdict,
      reasons: judged.reasons,
      rosVersion: r.rosVersion,
      rosVersionObservedAt: r.rosVersionObservedAt,
      scriptDialect: r.scriptDialect,
      scriptsVerifiedAt: r.scriptsVerifiedAt,
      scriptsMissing: r.scriptsMissing ?? [],
      lastWebhookAt: webhooks,
      lastHeartbeatAt: r.status?.lastSeenAt,
      lastReconcileAt: r.lastReconcileAt,
      devicesWithoutNetwatch,
      subscribersWithoutStatusSource,
      namesRefused,
    };
  }
}
