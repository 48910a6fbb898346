import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { MikrotikRouterRepository } from '@isp/data';
import { AppMetrics, exportPoolMetrics, SECRET_BOX } from '@isp/platform';
import { type SecretBox } from '@isp/domain';
import { DEFAULT_POOL_OPTIONS, printWords, RouterCommands, RouterConnectionPool, routerEndpointResolver } from '@isp/routeros';
import { DiagnosticsConfig } from '../config/diagnostics.config';
import type { PingOutcome, Prober, RouterSessions } from './prober.port';

/**
 * The production prober: libs/routeros' pool (one persistent connection per router, per-router
 * concurrency, circuit breaker). Routers are loaded from the database on first use; the
 * password is decrypted only while a connection logs in.
 */
@Injectable()
export class RouterOsProber implements Prober, OnApplicationShutdown {
  private readonly log = new Logger(RouterOsProber.name);
  readonly pool: RouterConnectionPool;

  constructor(
    routers: MikrotikRouterRepository,
    @Inject(SECRET_BOX) box: SecretBox,
    private readonly config: DiagnosticsConfig,
    metrics: AppMetrics,
  ) {
    this.pool = new RouterConnectionPool({
      maxConcurrentPerRouter: config.PROBE_CONCURRENCY_PER_ROUTER,
      callTimeoutMs: config.PROBE_TIMEOUT_MS,
      connectTimeoutMs: Math.min(5000, config.PROBE_TIMEOUT_MS),
      breakerCooldownMs: config.PROBE_BREAKER_COOLDOWN_MS,
      // The heartbeat is this pool's keepalive. With the pool's default (30 s: a keepalive `#`
      // after 10 s of silence, answered by a trap) every router idle between two 60 s heartbeats
      // got four or five: at 5,000 routers, 400 a second, most of diagnostics' CPU. A link is
      // still dropped after three and a half intervals of silence, and a dead one fails the next check.
      idleTimeoutSec: Math.max(DEFAULT_POOL_OPTIONS.idleTimeoutSec, Math.ceil((config.HEARTBEAT_INTERVAL_MS * 3.5) / 1000)),
      backoffBaseMs: Math.min(500, config.PROBE_BREAKER_COOLDOWN_MS),
      logger: { warn: (m) => this.log.warn(m), log: (m) => this.log.debug(m) },
      resolveEndpoint: routerEndpointResolver(routers, box),
    });
    exportPoolMetrics(metrics, this.pool);
  }

  async ping(routerId: string, address: string, opts: { count: number; timeoutMs: number }): Promise<PingOutcome> {
    const r = await new RouterCommands(this.pool, routerId).ping(address, { count: opts.count, intervalMs: this.config.PROBE_PING_INTERVAL_MS, timeoutMs: opts.timeoutMs });
    return { sent: r.sent, received: r.received, rttMs: r.avgRttMs };
  }

  async roundTrip(routerId: string, opts: { timeoutMs: number }): Promise<{ rttMs: number }> {
    const started = Date.now();
    await new RouterCommands(this.pool, routerId).raw(['/system/identity/print'], { timeoutMs: opts.timeoutMs });
    return { rttMs: Date.now() - started };
  }

  /** One print per table, only the fields compared (a 2,000-session router answers in one reply). */
  async sessions(routerId: string, opts: { timeoutMs: number; leases: boolean }): Promise<RouterSessions> {
    const c = new RouterCommands(this.pool, routerId);
    const [pppActive, leases] = await Promise.all([
      c.raw(printWords('/ppp/active', { proplist: ['name', 'address', 'caller-id'] }), { timeoutMs: opts.timeoutMs }),
      opts.leases ? c.raw(printWords('/ip/dhcp-server/lease', { proplist: ['mac-address', 'address', 'active-address', 'status'], where: { status: 'bound' } }), { timeoutMs: opts.timeoutMs }) : Promise.resolve(undefined),
    ]);
    return { pppActive, leases };
  }

  /** Credentials or address changed: the next probe reconnects with the stored values. */
  forget(routerId: string): void {
    this.pool.unregister(routerId);
  }

  stats() {
    const m = this.pool.metrics();
    return { connectionsOpened: m.connectionsOpened, reconnects: m.reconnects, openConnections: m.openConnections };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }
}
