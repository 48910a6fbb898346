import type { RosRow } from '../client/ros-connection';
import type { CallOptions, RouterConnectionPool } from '../pool/router-connection-pool';
import { isRouterTrap } from '../errors/router-errors';
import { parseRouterOsDuration } from './duration';
import { RosMenu, type CommandRunner } from './ros-menu';
import type { PingOptions, PingProbe, PingResult, SystemResource } from './command-types';

/** Above this many names, one print of /ppp/active beats one filtered print per name. */
const KICK_BATCH_THRESHOLD = 8;

export interface KickResult {
  /** sessions ended */
  kicked: number;
  /** names whose session removal the router refused, with the error */
  refused: Map<string, unknown>;
}

function num(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v.replace(/%$/, ''));
  return Number.isFinite(n) ? n : undefined;
}

/** The last `!re` of a ping holds the running totals; earlier rows are the probes. */
export function parsePingReplies(address: string, rows: readonly RosRow[]): PingResult {
  const replies = rows.filter((r) => r.ret === undefined);
  const last = replies[replies.length - 1] ?? {};
  const probes: PingProbe[] = replies.map((r) => ({ seq: num(r.seq), timeMs: parseRouterOsDuration(r.time), status: r.status }));
  const sent = num(last.sent) ?? replies.length;
  const received = num(last.received) ?? probes.filter((p) => p.timeMs !== undefined).length;
  const lossPercent = num(last['packet-loss']) ?? (sent ? Math.round(((sent - received) / sent) * 100) : 100);
  return {
    address,
    sent,
    received,
    lossPercent,
    minRttMs: received ? parseRouterOsDuration(last['min-rtt']) : undefined,
    avgRttMs: received ? parseRouterOsDuration(last['avg-rtt']) : undefined,
    maxRttMs: received ? parseRouterOsDuration(last['max-rtt']) : undefined,
    reachable: received > 0,
    probes,
  };
}

/**
 * Commands for one router, all through the pool: menus (`menu('/ppp/secret')`), the kick, ping,
 * identity and resource. Batch reads are one print per menu with a `.proplist`, e.g.
 * `menu('/ppp/active').print({ proplist: ['name', 'address'] })` for every online user at once.
 */
export class RouterCommands {
  private readonly runner: CommandRunner;

  constructor(
    private readonly pool: RouterConnectionPool,
    readonly routerId: string,
  ) {
    this.runner = (words, options) => this.pool.execute(this.routerId, words, options);
  }

  /** CRUD on one menu path; cheap, so take a fresh one per use. */
  menu(path: string): RosMenu {
    return new RosMenu(this.runner, path);
  }

  /** Any command, raw words in, raw string rows out. */
  raw(words: string[], options?: CallOptions): Promise<RosRow[]> {
    return this.runner(words, options);
  }

  /**
   * Ends the PPP sessions of these users (RouterOS runs on-down; the client redials, under its
   * secret's current profile: docs/routeros.md §1). A session that ended by itself between the
   * print and the remove counts as done; another `!trap` is reported per name; a lost router throws.
   */
  async kick(names: Iterable<string>, parallel = 4): Promise<KickResult> {
    const wanted = new Set(names);
    const result: KickResult = { kicked: 0, refused: new Map() };
    if (!wanted.size) return result;
    const active = this.menu('/ppp/active');
    const sessions =
      wanted.size > KICK_BATCH_THRESHOLD
        ? (await active.print({ proplist: ['.id', 'name'] })).filter((r) => wanted.has(r.name))
        : (await Promise.all([...wanted].map((name) => active.print({ proplist: ['.id', 'name'], where: { name } })))).flat();
    let next = 0;
    const lanes = Array.from({ length: Math.min(parallel, sessions.length) }, async () => {
      while (next < sessions.length) {
        const s = sessions[next++];
        try {
          await active.remove(s['.id']);
          result.kicked++;
        } catch (err) {
          if (!isRouterTrap(err)) throw err; // the router went away: the caller retries the whole pass
          if (/no such item/i.test(err.trapMessage)) continue; // ended by itself: what we wanted
          result.refused.set(s.name, err);
        }
      }
    });
    await Promise.all(lanes);
    return result;
  }

  /** Runs a script by name or `.id`. */
  async runScript(nameOrId: string): Promise<void> {
    await this.runner(['/system/script/run', `=.id=${nameOrId}`]);
  }

  /** The router's name; also the cheapest liveness round trip. */
  async identity(): Promise<string> {
    const [row] = await this.runner(['/system/identity/print']);
    return row?.name ?? '';
  }

  async resource(): Promise<SystemResource> {
    const [raw = {}] = await this.runner(['/system/resource/print']);
    const major = num(raw.version?.split('.')[0]);
    return {
      uptimeMs: parseRouterOsDuration(raw.uptime),
      version: raw.version,
      major,
      cpuLoadPercent: num(raw['cpu-load']),
      freeMemoryBytes: num(raw['free-memory']),
      totalMemoryBytes: num(raw['total-memory']),
      boardName: raw['board-name'],
      architectureName: raw['architecture-name'],
      platform: raw.platform,
      raw,
    };
  }

  /** `/ping` from this router: how a device behind it is probed. */
  async ping(address: string, options: PingOptions = {}): Promise<PingResult> {
    const count = Math.max(1, Math.floor(options.count ?? 3));
    const intervalMs = Math.max(10, Math.floor(options.intervalMs ?? 1000));
    const words = ['/ping', `=address=${address}`, `=count=${count}`, `=interval=${intervalMs}ms`];
    if (options.size) words.push(`=size=${options.size}`);
    if (options.srcAddress) words.push(`=src-address=${options.srcAddress}`);
    if (options.routingTable) words.push(`=routing-table=${options.routingTable}`);
    const rows = await this.runner(words, { timeoutMs: options.timeoutMs ?? count * intervalMs + 5000 });
    return parsePingReplies(address, rows);
  }
}
