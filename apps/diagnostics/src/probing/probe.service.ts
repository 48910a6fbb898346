import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { PLATFORM_REDIS } from '@isp/platform';
import { withTimeout, type ProbeState, type TopologyNode } from '@isp/domain';
import { DiagnosticsConfig } from '../config/diagnostics.config';
import { DiagnosticsMetrics } from '../metrics/diagnostics-metrics.service';
import { TopologyCacheService } from '../topology/topology-cache.service';
import { PROBER, type Prober } from './prober.port';
import { RouterThrottle } from './router-throttle';

export interface ProbeResult {
  state: ProbeState;
  rttMs?: number;
  detail?: string;
  at: string;
  /** The last try was refused by the pool's open breaker: failures of moments ago, not an answer of now. */
  breakerOpen?: true;
}

export interface ProbeOptions {
  /** Skip the shared cache and single flight (Live Check wants what the network says now). */
  fresh?: boolean;
  attempts?: number;
  timeoutMs?: number;
  /** Ping this address instead of the one in the topology (a PPPoE session's current address); implies fresh. */
  address?: string;
}

const isCircuitOpen = (err: unknown) => (err as { kind?: string } | null)?.kind === 'circuit_open';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Probes nodes through their routers. Results are cached for PROBE_CACHE_MS in Redis and shared
 * by every replica; concurrent requests for the same node (in any replica) share one probe
 * (SET NX lock + result key). A probe is retried with backoff before a failure counts, and a
 * ping counts as down only when every echo of every try was lost: one lost ping never makes a
 * node DOWN.
 */
@Injectable()
export class ProbeService {
  private readonly log = new Logger(ProbeService.name);
  private readonly throttle: RouterThrottle;
  /** Probes this replica sent to routers (each try counts). */
  sent = 0;

  constructor(
    @Inject(PROBER) private readonly prober: Prober,
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    private readonly config: DiagnosticsConfig,
    private readonly topology: TopologyCacheService,
    private readonly metrics: DiagnosticsMetrics,
  ) {
    this.throttle = new RouterThrottle(config.PROBE_CONCURRENCY_PER_ROUTER);
  }

  private key(kind: 'result' | 'lock', nodeId: string): string {
    return `${this.config.QUEUE_PREFIX}:diag:probe-${kind}:${nodeId}`;
  }

  /** Key of the cross-replica counter of probes sent (tests and the benchmark read it). */
  get sentCounterKey(): string {
    return `${this.config.QUEUE_PREFIX}:diag:probes-sent`;
  }

  /** Drops a cached result: an UP fact about the node (its event) is newer than any probe of it. */
  async forget(nodeId: string): Promise<void> {
    await this.redis.del(this.key('result', nodeId));
  }

  /** Forgets what the pool knows about a router (its breaker, its connection): the next probe asks it afresh. */
  forgetRouter(routerId: string): void {
    this.prober.forget?.(routerId);
  }

  /**
   * Probes several nodes at once, as `probe` does each, with the shared cache's reads and writes
   * for all of them in one round trip each (a heartbeat batch is a hundred routers): cached
   * results are used, the nodes this caller claims are probed here, and the rest, claimed by
   * another caller, are waited for as `probe` waits.
   */
  async probeMany(ids: string[], opts: ProbeOptions = {}): Promise<Map<string, ProbeResult>> {
    const unique = [...new Set(ids)];
    const nodes = unique.flatMap((id) => {
      const node = this.topology.graph.get(id);
      return node ? [node] : [];
    });
    if (opts.fresh || opts.address || nodes.length < 2) {
      const results = await Promise.all(unique.map((id) => this.probe(id, opts)));
      return new Map(unique.map((id, i) => [id, results[i]]));
    }
    const out = new Map<string, ProbeResult>(unique.filter((id) => !this.topology.graph.get(id)).map((id) => [id, { state: 'UNKNOWN', detail: 'not in topology', at: new Date().toISOString() }]));
    const cached = await this.redis.mget(nodes.map((n) => this.key('result', n.id)));
    const misses = nodes.filter((n, i) => {
      if (cached[i]) out.set(n.id, JSON.parse(cached[i]) as ProbeResult);
      return !cached[i];
    });
    const claim = this.redis.pipeline();
    for (const n of misses) claim.set(this.key('lock', n.id), '1', 'PX', this.lockMs(opts), 'NX');
    const claimed = misses.length ? ((await claim.exec()) ?? []) : [];
    const won = misses.filter((_, i) => claimed[i]?.[1] === 'OK');
    const others = misses.filter((_, i) => claimed[i]?.[1] !== 'OK');
    const tally = { tries: 0 };
    try {
      const [mine, theirs] = await Promise.all([Promise.all(won.map((n) => this.probeNow(n, opts, tally))), Promise.all(others.map((n) => this.probe(n.id, opts)))]);
      won.forEach((n, i) => out.set(n.id, mine[i]));
      others.forEach((n, i) => out.set(n.id, theirs[i]));
    } finally {
      const done = this.redis.pipeline();
      for (const n of won) {
        const result = out.get(n.id);
        if (result && this.config.PROBE_CACHE_MS > 0) done.set(this.key('result', n.id), JSON.stringify(result), 'PX', this.config.PROBE_CACHE_MS);
        done.del(this.key('lock', n.id));
      }
      if (tally.tries) done.incrby(this.sentCounterKey, tally.tries);
      if (done.length) await done.exec();
    }
    return new Map(unique.map((id) => [id, out.get(id)!]));
  }

  /** How long a probe's claim holds: its tries with their timeouts, and a margin. */
  private lockMs(opts: ProbeOptions): number {
    return (opts.timeoutMs ?? this.config.PROBE_TIMEOUT_MS) * (opts.attempts ?? this.config.PROBE_ATTEMPTS) * 2 + 2000;
  }

  async probe(nodeId: string, opts: ProbeOptions = {}): Promise<ProbeResult> {
    const node = this.topology.graph.get(nodeId);
    if (!node) return { state: 'UNKNOWN', detail: 'not in topology', at: new Date().toISOString() };
    if (opts.address) return this.probeNow({ ...node, address: opts.address }, opts);
    if (opts.fresh) return this.probeNow(node, opts);

    const lockMs = this.lockMs(opts);
    const deadline = Date.now() + lockMs + 1000;
    for (;;) {
      const cached = await this.redis.get(this.key('result', nodeId));
      if (cached) return JSON.parse(cached) as ProbeResult;
      const won = await this.redis.set(this.key('lock', nodeId), '1', 'PX', lockMs, 'NX');
      if (won) {
        try {
          const result = await this.probeNow(node, opts);
          if (this.config.PROBE_CACHE_MS > 0) await this.redis.set(this.key('result', nodeId), JSON.stringify(result), 'PX', this.config.PROBE_CACHE_MS);
          return result;
        } finally {
          await this.redis.del(this.key('lock', nodeId));
        }
      }
      // Another replica (or caller) is probing this node: wait for its answer.
      if (Date.now() > deadline) return this.probeNow(node, opts);
      await sleep(50);
    }
  }

  /** `tally` counts the tries for a caller that adds them to the shared counter itself (probeMany). */
  private async probeNow(node: TopologyNode, opts: ProbeOptions, tally?: { tries: number }): Promise<ProbeResult> {
    const attempts = opts.attempts ?? this.config.PROBE_ATTEMPTS;
    const timeoutMs = opts.timeoutMs ?? this.config.PROBE_TIMEOUT_MS;
    let last: ProbeResult = { state: 'UNKNOWN', at: new Date().toISOString() };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const started = process.hrtime.bigint();
      last = await this.once(node, timeoutMs, tally);
      this.metrics.probed(node.kind, last.state, Number(process.hrtime.bigint() - started) / 1e9);
      if (last.state === 'UP') return last;
      if (attempt < attempts) await sleep(this.config.PROBE_RETRY_DELAY_MS * 2 ** (attempt - 1));
    }
    return last;
  }

  private async once(node: TopologyNode, timeoutMs: number, tally?: { tries: number }): Promise<ProbeResult> {
    const at = new Date().toISOString();
    const routerId = node.routerId;
    if (!routerId || node.kind === 'building') return { state: 'UNKNOWN', detail: 'not probeable', at };
    if (node.kind !== 'router' && !node.address) return { state: 'UNKNOWN', detail: 'no address to ping', at };
    this.sent++;
    if (tally) tally.tries++;
    else void this.redis.incr(this.sentCounterKey).catch(() => undefined);
    try {
      return await this.throttle.run(routerId, async () => {
        if (node.kind === 'router') {
          const r = await withTimeout(this.prober.roundTrip(routerId, { timeoutMs }), timeoutMs + 250);
          return { state: 'UP', rttMs: r.rttMs, at } as ProbeResult;
        }
        const p = await withTimeout(this.prober.ping(routerId, node.address!, { count: this.config.PROBE_PING_COUNT, timeoutMs }), timeoutMs + 250);
        if (p.received > 0) return { state: 'UP', rttMs: p.rttMs, detail: p.received < p.sent ? `${p.sent - p.received}/${p.sent} lost` : undefined, at } as ProbeResult;
        return { state: 'DOWN', detail: `${p.sent}/${p.sent} lost`, at } as ProbeResult;
      });
    } catch (err) {
      const detail = (err as Error).message;
      this.log.debug({ node: node.id, detail }, 'probe failed');
      // A router that does not answer is down; a device we could not ask about is unknown.
      return { state: node.kind === 'router' ? 'DOWN' : 'UNKNOWN', detail, at, ...(isCircuitOpen(err) && { breakerOpen: true as const }) };
    }
  }
}
