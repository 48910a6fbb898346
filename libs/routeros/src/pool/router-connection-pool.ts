import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { withTimeout } from '@isp/domain/util/with-timeout';
import { tlsIdentity } from './router-tls';
import { RosConnection, type RosRow } from '../client/ros-connection';
import {
  CircuitOpenError,
  RouterLoginError,
  RouterTimeoutError,
  RouterUnreachableError,
  RouterFatalError,
  routerErrorKind,
} from '../errors/router-errors';
import { PoolMetrics, type PoolMetricsSnapshot } from './pool-metrics';
import { RouterLimiter } from './router-limiter';

export interface RouterEndpoint {
  id: string;
  host: string;
  /** default 8728, or 8729 with tls */
  port?: number;
  /** true for api-ssl with defaults, or Node TLS options (e.g. ADH ciphers, see docs/routeros.md §6) */
  tls?: boolean | TlsConnectionOptions;
  user: string;
  /**
   * Called only while a connection is being opened, so the decrypted password lives for the
   * length of one login: e.g. `() => secretBox.decrypt(router.apiPassword)`.
   */
  password: () => string | Promise<string>;
  /** RouterOS version when known ("6.49.10", "7.18.2"); informational for commands. */
  version?: string;
}

export interface PoolOptions {
  /** calls on the wire at once per router (RouterOS handles tagged calls concurrently) */
  maxConcurrentPerRouter: number;
  /** calls allowed to wait for a slot; beyond that RouterBusyError */
  maxQueuePerRouter: number;
  /** default deadline of one call, queueing and connecting included */
  callTimeoutMs: number;
  /** TCP connect + login */
  connectTimeoutMs: number;
  /** a connection that hears nothing from its router for this long (keepalives included) is dropped */
  idleTimeoutSec: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** consecutive failures (connect, lost connection, timeout) that open the circuit */
  breakerThreshold: number;
  /** how long an open circuit fails fast before one probe is let through */
  breakerCooldownMs: number;
  /** finds an endpoint that was not registered (e.g. loads the router from the database) */
  resolveEndpoint?: (routerId: string) => Promise<RouterEndpoint | undefined>;
  /** receives connection-level events; never given credentials */
  logger?: { warn(message: string): void; log?(message: string): void };
  /** jitter source, replaceable for tests */
  random?: () => number;
}

export const DEFAULT_POOL_OPTIONS: PoolOptions = {
  maxConcurrentPerRouter: 8,
  maxQueuePerRouter: 500,
  callTimeoutMs: 10_000,
  connectTimeoutMs: 5_000,
  idleTimeoutSec: 30,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  breakerThreshold: 3,
  breakerCooldownMs: 15_000,
};

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface RouterConnectionState {
  routerId: string;
  connected: boolean;
  breaker: BreakerState;
  consecutiveFailures: number;
  inFlight: number;
  queued: number;
  lastError?: string;
}

export interface CallOptions {
  /** overrides callTimeoutMs (e.g. /ping with many probes) */
  timeoutMs?: number;
}

class RouterSlot {
  conn?: RosConnection;
  connecting?: Promise<RosConnection>;
  everConnected = false;
  failures = 0;
  breaker: BreakerState = 'closed';
  openUntil = 0;
  nextAttemptAt = 0;
  reconnectTimer?: NodeJS.Timeout;
  onWire = 0;
  lastError?: string;
  closed = false;
  constructor(
    public endpoint: RouterEndpoint,
    readonly limiter: RouterLimiter,
  ) {}
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The only way into a router: one authenticated connection per router id, opened on first use,
 * kept alive, re-established with backoff; a per-router concurrency limit with a bounded queue
 * (RouterLimiter); a circuit breaker so a dead router costs nothing while it is dead.
 */
export class RouterConnectionPool {
  private readonly opts: PoolOptions;
  private readonly slots = new Map<string, RouterSlot>();
  private readonly counters = new PoolMetrics();
  private closed = false;

  constructor(options: Partial<PoolOptions> = {}) {
    this.opts = { ...DEFAULT_POOL_OPTIONS, ...options };
  }

  /** Adds or updates a router. A changed address or user drops the current connection. */
  register(endpoint: RouterEndpoint): void {
    const slot = this.slots.get(endpoint.id);
    if (!slot) {
      this.slots.set(endpoint.id, new RouterSlot(endpoint, new RouterLimiter(endpoint.id, this.opts.maxConcurrentPerRouter, this.opts.maxQueuePerRouter)));
      return;
    }
    const before = slot.endpoint;
    slot.endpoint = endpoint;
    if (before.host !== endpoint.host || before.port !== endpoint.port || before.user !== endpoint.user || tlsIdentity(before.tls) !== tlsIdentity(endpoint.tls)) {
      slot.conn?.shutdown({ kind: 'closed', detail: 'endpoint changed' });
    }
  }

  /** Forgets a router and closes its connection. */
  unregister(routerId: string): void {
    const slot = this.slots.get(routerId);
    if (!slot) return;
    this.slots.delete(routerId);
    this.closeSlot(slot);
  }

  has(routerId: string): boolean {
    return this.slots.has(routerId);
  }

  /**
   * Runs one command: `words[0]` is the path (`/ppp/secret/print`), the rest are attribute and
   * query words (`=name=x`, `?name=x`, `=.proplist=.id,name`). Rows come back as strings.
   */
  async execute(routerId: string, words: readonly string[], options: CallOptions = {}): Promise<RosRow[]> {
    if (this.closed) throw new Error('RouterConnectionPool is closed');
    const started = Date.now();
    const timeoutMs = options.timeoutMs ?? this.opts.callTimeoutMs;
    const deadline = started + timeoutMs;
    let slot: RouterSlot | undefined;
    try {
      slot = await this.slotFor(routerId);
      this.failFastIfOpen(slot);
      await slot.limiter.acquire(deadline, timeoutMs, words[0]);
      try {
        const conn = await this.connection(slot, deadline, timeoutMs, words[0]);
        slot.onWire++;
        try {
          const rows = await conn.write(words, Math.max(1, deadline - Date.now()));
          this.recordSuccess(slot);
          return rows;
        } catch (err) {
          // No answer in time is evidence against the router. Lost connections and failed
          // connects are counted once where they happen, not once per waiting call.
          if (err instanceof RouterTimeoutError) this.recordFailure(slot, err);
          throw err;
        } finally {
          slot.onWire--;
        }
      } finally {
        slot.limiter.release();
      }
    } catch (err) {
      const kind = routerErrorKind(err);
      this.counters.errors[kind]++;
      if (slot && kind === 'trap') this.recordSuccess(slot); // the router answered: it is alive
      throw err;
    } finally {
      this.counters.calls++;
      this.counters.observeLatency(Date.now() - started);
    }
  }

  metrics(): PoolMetricsSnapshot {
    let openConnections = 0;
    let inFlight = 0;
    let queued = 0;
    let openCircuits = 0;
    for (const s of this.slots.values()) {
      if (s.conn?.isOpen) openConnections++;
      inFlight += s.onWire;
      queued += s.limiter.queued;
      if (s.breaker !== 'closed') openCircuits++;
    }
    return this.counters.snapshot({ openConnections, inFlight, queued, openCircuits });
  }

  state(routerId: string): RouterConnectionState | undefined {
    const s = this.slots.get(routerId);
    if (!s) return undefined;
    return {
      routerId,
      connected: !!s.conn?.isOpen,
      breaker: s.breaker,
      consecutiveFailures: s.failures,
      inFlight: s.onWire,
      queued: s.limiter.queued,
      lastError: s.lastError,
    };
  }

  states(): RouterConnectionState[] {
    return [...this.slots.keys()].map((id) => this.state(id)!);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots.values()) this.closeSlot(slot);
    this.slots.clear();
  }

  // ---------------------------------------------------------------- internals

  private async slotFor(routerId: string): Promise<RouterSlot> {
    const known = this.slots.get(routerId);
    if (known) return known;
    const endpoint = await this.opts.resolveEndpoint?.(routerId);
    if (!endpoint) throw new RouterUnreachableError(routerId, 'unknown router (not registered with the pool)');
    if (!this.slots.has(routerId)) this.register({ ...endpoint, id: routerId });
    return this.slots.get(routerId)!;
  }

  private failFastIfOpen(slot: RouterSlot): void {
    if (slot.breaker === 'open' && Date.now() < slot.openUntil) {
      throw new CircuitOpenError(slot.endpoint.id, slot.openUntil - Date.now());
    }
    if (slot.breaker === 'half-open' && slot.connecting) throw new CircuitOpenError(slot.endpoint.id, 0);
  }

  private async connection(slot: RouterSlot, deadline: number, timeoutMs: number, command: string): Promise<RosConnection> {
    if (slot.conn?.isOpen) return slot.conn;
    this.failFastIfOpen(slot);
    if (!slot.connecting && slot.nextAttemptAt > deadline) {
      throw new RouterUnreachableError(slot.endpoint.id, `backing off after: ${slot.lastError ?? 'failure'}`);
    }
    if (slot.breaker === 'open') slot.breaker = 'half-open'; // cool-down over: this call is the probe
    slot.connecting ??= this.connectFlight(slot);
    return withTimeout(slot.connecting, Math.max(1, deadline - Date.now()), () => new RouterTimeoutError(slot.endpoint.id, timeoutMs, `${command} (still connecting)`));
  }

  /** Single flight: every caller waiting for this router shares one connect attempt. */
  private connectFlight(slot: RouterSlot): Promise<RosConnection> {
    const flight = (async () => {
      const wait = slot.nextAttemptAt - Date.now();
      if (wait > 0) await sleep(wait);
      if (slot.closed) throw new RouterUnreachableError(slot.endpoint.id, 'pool closed');
      const ep = slot.endpoint;
      this.counters.connectAttempts++;
      let conn: RosConnection;
      try {
        conn = await RosConnection.open({
          routerId: ep.id,
          host: ep.host,
          port: ep.port ?? (ep.tls ? 8729 : 8728),
          tls: ep.tls,
          user: ep.user,
          password: await ep.password(),
          idleTimeoutSec: this.opts.idleTimeoutSec,
          connectTimeoutMs: this.opts.connectTimeoutMs,
        });
      } catch (err) {
        this.recordFailure(slot, err as Error);
        throw err;
      }
      if (slot.closed) {
        conn.shutdown({ kind: 'closed', detail: 'pool closed' });
        throw new RouterUnreachableError(ep.id, 'pool closed');
      }
      this.counters.connectionsOpened++;
      if (slot.everConnected || slot.failures > 0) this.counters.reconnects++;
      slot.everConnected = true;
      slot.conn = conn;
      this.recordSuccess(slot);
      conn.onClose((reason) => {
        if (slot.conn === conn) slot.conn = undefined;
        if (slot.closed || reason.detail === 'closed by pool' || reason.detail === 'endpoint changed') return;
        this.opts.logger?.warn(`router ${ep.id}: connection lost (${reason.kind}: ${reason.detail})`);
        this.recordFailure(slot, reason.kind === 'fatal' ? new RouterFatalError(ep.id, reason.detail) : new RouterUnreachableError(ep.id, reason.detail));
      });
      return conn;
    })();
    const clear = () => {
      if (slot.connecting === flight) slot.connecting = undefined;
    };
    flight.then(clear, clear);
    return flight;
  }

  private recordSuccess(slot: RouterSlot): void {
    slot.failures = 0;
    slot.nextAttemptAt = 0;
    slot.lastError = undefined;
    if (slot.breaker !== 'closed') this.opts.logger?.log?.(`router ${slot.endpoint.id}: circuit closed`);
    slot.breaker = 'closed';
  }

  private recordFailure(slot: RouterSlot, err: Error): void {
    if (slot.closed) return;
    slot.failures++;
    slot.lastError = err.message;
    const now = Date.now();
    if (slot.breaker === 'half-open' || slot.failures >= this.opts.breakerThreshold) {
      if (slot.breaker !== 'open') this.opts.logger?.warn(`router ${slot.endpoint.id}: circuit open after ${slot.failures} failures (${err.message})`);
      slot.breaker = 'open';
      slot.openUntil = now + this.jitter(this.opts.breakerCooldownMs);
      slot.nextAttemptAt = slot.openUntil;
      // A wedged connection must not outlive the decision that the router is dead.
      slot.conn?.shutdown({ kind: 'closed', detail: 'closed by pool' });
    } else {
      const backoff = Math.min(this.opts.backoffMaxMs, this.opts.backoffBaseMs * 2 ** (slot.failures - 1));
      slot.nextAttemptAt = now + this.jitter(backoff);
    }
    // Login refused is not fixed by a timer; the next call (after the operator fixes it) retries.
    if (!(err instanceof RouterLoginError)) this.scheduleReconnect(slot);
  }

  /** Keeps a router that was in use connected: reconnects in the background after backoff. */
  private scheduleReconnect(slot: RouterSlot): void {
    if (!slot.everConnected || slot.closed || slot.reconnectTimer) return;
    const delay = Math.max(0, slot.nextAttemptAt - Date.now());
    slot.reconnectTimer = setTimeout(() => {
      slot.reconnectTimer = undefined;
      if (slot.closed || slot.conn?.isOpen || slot.connecting) return;
      if (slot.breaker === 'open') slot.breaker = 'half-open';
      slot.connecting = this.connectFlight(slot);
      slot.connecting.catch(() => undefined); // recorded by connectFlight; reschedules itself
    }, delay);
    slot.reconnectTimer.unref();
  }

  /** "Equal jitter": between half and all of the delay, so reconnect storms spread out. */
  private jitter(ms: number): number {
    const r = (this.opts.random ?? Math.random)();
    return Math.round(ms / 2 + (r * ms) / 2);
  }

  private closeSlot(slot: RouterSlot): void {
    slot.closed = true;
    clearTimeout(slot.reconnectTimer);
    slot.limiter.rejectAll(new RouterUnreachableError(slot.endpoint.id, 'pool closed'));
    slot.conn?.shutdown({ kind: 'closed', detail: 'closed by pool' });
  }
}
