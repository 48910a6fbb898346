import type { RosRow } from '../client/ros-connection';
import type { CallOptions, RouterConnectionPool } from '../pool/router-connection-pool';
import { isRouterTrap } from '../errors/router-errors';
import { parseRouterOsDuration } from './duration';
import { RosMenu, type CommandRunner } from './ros-menu';
import type {
  AddressListEntry,
  DhcpLease,
  DhcpServer,
  NetwatchEntry,
  PingOptions,
  PingProbe,
  PingResult,
  PppActive,
  PppProfile,
  PppSecret,
  SimpleQueue,
  SystemResource,
  SystemScript,
} from './command-types';

export class PppActiveMenu extends RosMenu<PppActive> {
  /**
   * Drops the user's sessions (RouterOS runs on-down; the client redials). Returns how many
   * were removed; 0 when the user was not online.
   */
  async kick(name: string): Promise<number> {
    const sessions = await this.print({ where: { name }, proplist: ['id'] });
    let removed = 0;
    for (const s of sessions) {
      try {
        await this.remove(s.id);
        removed++;
      } catch (err) {
        if (!(isRouterTrap(err) && /no such item/i.test(err.trapMessage))) throw err; // gone already
      }
    }
    return removed;
  }
}

export class ScriptMenu extends RosMenu<SystemScript> {
  /** Runs a script by name or `.id`. */
  async runScript(nameOrId: string): Promise<void> {
    await this.run([`${this.path}/run`, `=.id=${nameOrId}`]);
  }
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
 * Typed commands for one router, all through the pool. Batch reads are one print per menu
 * with a `.proplist`, e.g. `pppActive.print({ proplist: ['name', 'address'] })` for every
 * online user of the router at once.
 */
export class RouterCommands {
  private readonly runner: CommandRunner;
  readonly pppSecrets: RosMenu<PppSecret>;
  readonly pppActive: PppActiveMenu;
  readonly pppProfiles: RosMenu<PppProfile>;
  readonly simpleQueues: RosMenu<SimpleQueue>;
  readonly addressLists: RosMenu<AddressListEntry>;
  readonly dhcpServers: RosMenu<DhcpServer>;
  readonly dhcpLeases: RosMenu<DhcpLease>;
  readonly netwatch: RosMenu<NetwatchEntry>;
  readonly scripts: ScriptMenu;

  constructor(
    private readonly pool: RouterConnectionPool,
    readonly routerId: string,
  ) {
    this.runner = (words, options) => this.pool.execute(this.routerId, words, options);
    this.pppSecrets = new RosMenu(this.runner, '/ppp/secret');
    this.pppActive = new PppActiveMenu(this.runner, '/ppp/active', ['radius']);
    this.pppProfiles = new RosMenu(this.runner, '/ppp/profile', ['default']);
    this.simpleQueues = new RosMenu(this.runner, '/queue/simple');
    this.addressLists = new RosMenu(this.runner, '/ip/firewall/address-list');
    this.dhcpServers = new RosMenu(this.runner, '/ip/dhcp-server');
    this.dhcpLeases = new RosMenu(this.runner, '/ip/dhcp-server/lease');
    this.netwatch = new RosMenu(this.runner, '/tool/netwatch');
    this.scripts = new ScriptMenu(this.runner, '/system/script', ['dontRequirePermissions']);
  }

  /** Any command, raw words in, raw string rows out. */
  raw(words: string[], options?: CallOptions): Promise<RosRow[]> {
    return this.runner(words, options);
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
