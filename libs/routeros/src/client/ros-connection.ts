import './node-routeros-fixes';
import { constants as osConstants } from 'node:os';
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { RouterOSClient } from 'routeros-client';
import { withTimeout } from '@isp/domain/util/with-timeout';
import { FATAL_MESSAGE_KEY, RosTrap } from './node-routeros-fixes';
import {
  RouterFatalError,
  RouterLoginError,
  RouterTimeoutError,
  RouterUnreachableError,
  trapError,
} from '../errors/router-errors';

/** One reply row. Values are exactly the strings the router sent: nothing is converted. */
export type RosRow = Record<string, string>;

export interface RosConnectOptions {
  routerId: string;
  host: string;
  port: number;
  tls?: boolean | TlsConnectionOptions;
  user: string;
  password: string;
  /** No byte from the router for this long while we expect one: the connection is dead. */
  idleTimeoutSec: number;
  connectTimeoutMs: number;
}

export type CloseReason = { kind: 'closed' | 'error' | 'fatal' | 'idle'; detail: string };

// node-routeros internals we reach for: the socket (for liveness and `!fatal`) and the timers
// it leaves running after a socket dies.
interface ApiInternals {
  write(command: string, params?: string[]): Promise<object[]>;
  on(event: string, listener: (...args: never[]) => void): void;
  connector?: { socket?: NodeJS.EventEmitter & { [FATAL_MESSAGE_KEY]?: string; setNoDelay(on: boolean): void }; destroy(): void } | null;
  connectionHoldInterval?: NodeJS.Timeout;
  keptaliveby?: NodeJS.Timeout;
  closing: boolean;
  connected: boolean;
}

function errnoName(errno: unknown): string {
  if (typeof errno === 'string') return errno;
  if (typeof errno === 'number') {
    const name = Object.entries(osConstants.errno).find(([, v]) => v === Math.abs(errno))?.[0];
    if (name) return name;
  }
  return String(errno);
}

/**
 * One authenticated RouterOS API session: routeros-client for the connection, node-routeros'
 * raw `write()` for every command. Raw because routeros-client's builder turns "00123" into
 * 123 and "true" into true, and keeps query state on a shared object; neither can happen on
 * this path. Calls multiplex over the socket by tag; each has its own timeout.
 */
export class RosConnection {
  private open = true;
  private lastDataAt = Date.now();
  private readonly pending = new Set<(err: Error) => void>();
  private readonly closeListeners: ((reason: CloseReason) => void)[] = [];
  private keepaliveTimer?: NodeJS.Timeout;

  private constructor(
    private readonly opts: RosConnectOptions,
    private readonly client: RouterOSClient,
    private readonly api: ApiInternals,
  ) {}

  static async open(opts: RosConnectOptions): Promise<RosConnection> {
    const client = new RouterOSClient({
      host: opts.host,
      port: opts.port,
      user: opts.user,
      password: opts.password,
      tls: (opts.tls === true ? {} : opts.tls || undefined) as object | undefined,
      timeout: opts.idleTimeoutSec,
      keepalive: false, // our own keepalive below also detects a router that stopped answering
    });
    // routeros-client re-emits socket errors on itself; unhandled, an 'error' event kills the process.
    client.on('error', () => undefined);
    const api = (client as unknown as { rosApi: ApiInternals }).rosApi;
    api.on('error', () => undefined);

    try {
      const connecting = client.connect();
      // The socket exists now. node-routeros writes each word separately; without NODELAY,
      // Nagle + delayed ACK add ~40 ms to every command.
      api.connector?.socket?.setNoDelay(true);
      await withTimeout(connecting, opts.connectTimeoutMs, () => {
        // node-routeros never settles connect() when the socket closes during login; we cut it.
        api.connector?.destroy();
        return new RouterUnreachableError(opts.routerId, `connect/login timed out after ${opts.connectTimeoutMs} ms`);
      });
    } catch (err) {
      throw RosConnection.connectError(opts.routerId, err);
    }
    const conn = new RosConnection(opts, client, api);
    conn.watch();
    return conn;
  }

  private static connectError(routerId: string, err: unknown): Error {
    if (err instanceof RouterUnreachableError) return err;
    if (err instanceof RosTrap) return new RouterLoginError(routerId);
    const e = err as { errno?: unknown; message?: string } | string;
    if (typeof e === 'object' && e?.errno === 'CANTLOGIN') return new RouterLoginError(routerId);
    if (typeof e === 'object' && e?.errno !== undefined) return new RouterUnreachableError(routerId, e.message || errnoName(e.errno));
    return new RouterUnreachableError(routerId, typeof e === 'string' ? e : (e?.message ?? 'connect failed'));
  }

  private watch(): void {
    const socket = this.api.connector?.socket;
    socket?.on('data', () => {
      this.lastDataAt = Date.now();
    });
    // node-routeros turns `!fatal` into a plain close; the reason the fixes kept tells them apart.
    const fatal = () => socket?.[FATAL_MESSAGE_KEY];
    this.api.on('close', () => {
      const reason = fatal();
      this.shutdown(reason !== undefined ? { kind: 'fatal', detail: reason } : { kind: 'closed', detail: 'connection closed by router' });
    });
    this.api.on('error', (err: { message?: string; errno?: unknown }) =>
      this.shutdown({ kind: 'error', detail: err?.message || errnoName(err?.errno) }),
    );
    const idleMs = this.opts.idleTimeoutSec * 1000;
    this.keepaliveTimer = setInterval(() => {
      const silentMs = Date.now() - this.lastDataAt;
      if (silentMs > idleMs) return this.shutdown({ kind: 'idle', detail: `no data from router for ${silentMs} ms` });
      // Something cheap that gets an answer, so a healthy idle link keeps producing data.
      if (silentMs > idleMs / 3) this.api.write('#').catch(() => undefined);
    }, Math.max(50, Math.floor(idleMs / 3)));
    this.keepaliveTimer.unref();
  }

  get isOpen(): boolean {
    return this.open;
  }

  onClose(listener: (reason: CloseReason) => void): void {
    this.closeListeners.push(listener);
  }

  /** Send one command (`words[0]`) with its attribute/query words; resolves with the `!re` rows. */
  write(words: readonly string[], timeoutMs: number): Promise<RosRow[]> {
    const { routerId } = this.opts;
    const command = words[0];
    if (!this.open) return Promise.reject(new RouterUnreachableError(routerId, 'connection closed'));
    return new Promise<RosRow[]>((resolve, reject) => {
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.pending.delete(fail);
        reject(err);
      };
      // The channel stays registered after a timeout: a late reply is then consumed quietly. The
      // timeout is judged after the I/O already received is read (setImmediate follows the poll
      // phase): a reply that came in time while this process was blocked still counts.
      const timer = setTimeout(() => setImmediate(() => fail(new RouterTimeoutError(routerId, timeoutMs, command))), timeoutMs);
      this.pending.add(fail);
      this.api.write(command, words.slice(1) as string[]).then(
        (rows) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          this.pending.delete(fail);
          resolve(rows as RosRow[]);
        },
        (err: unknown) =>
          fail(err instanceof RosTrap ? trapError(routerId, err.message, err.category, command) : new RouterUnreachableError(routerId, String((err as Error)?.message ?? err))),
      );
    });
  }

  /** Drops the connection: pending calls fail as unreachable (or fatal), listeners hear why. */
  shutdown(reason: CloseReason): void {
    if (!this.open) return;
    this.open = false;
    clearInterval(this.keepaliveTimer);
    clearTimeout(this.api.connectionHoldInterval);
    clearTimeout(this.api.keptaliveby);
    this.api.closing = true; // stops node-routeros timers from re-arming
    try {
      this.api.connector?.destroy();
    } catch {
      // already gone
    }
    this.api.connected = false;
    const { routerId } = this.opts;
    for (const fail of [...this.pending]) {
      fail(reason.kind === 'fatal' ? new RouterFatalError(routerId, reason.detail) : new RouterUnreachableError(routerId, reason.detail));
    }
    for (const l of this.closeListeners) l(reason);
  }

  /** Polite close (`/quit` is not needed: closing the socket ends the session). */
  async close(): Promise<void> {
    this.shutdown({ kind: 'closed', detail: 'closed by pool' });
  }
}
