import { randomBytes } from 'node:crypto';
import { formatUptime, type RouterEndpoint } from '@isp/routeros';
import { RouterFaults, type CommandFault, type WebhookDrop } from './faults';
import { MenuStore, project, Trap, type Reply, type Row } from './menu-store';
import { netwatchCheck } from './netwatch';
import { NetworkModel, type SimDevice } from './network-model';
import { streamPing } from './ping-command';
import { DEFAULT_HARDWARE, parseRouterVersion, type Hardware, type RouterVersion } from './router-version';
import { Scheduler } from './scheduler';
import { ScriptHost, type ScriptFailure } from './script-host';
import type { WebhookAttempt } from './script-runner';
import { SubscriberSessions, type Subscriber } from './subscriber-sessions';
import type { DeviceSpec, RouterSpec, SubscriberSpec } from './topology';
import { emptyStats, WireServer, type SimStats } from './wire-server';

export type { SimStats } from './wire-server';

/**
 * A RouterOS router for tests, the demo and benchmarks: the real API wire protocol over TCP,
 * in-memory menus, a topology that answers /ping, faults on demand, and the snitch scripts run
 * on PPP, DHCP and Netwatch events. Everything a caller does to it is counted (`stats`).
 *
 * This class only composes the parts, each with one job: WireServer (API server, login,
 * sentences), MenuStore + query-engine (menus, print queries, add/set/remove), NetworkModel
 * (devices, reachability, ping), SubscriberSessions (PPP and DHCP), ScriptHost + script-runner
 * (hooks and their POSTs), RouterFaults (fault state).
 */

export interface SimulatedRouterOptions extends Partial<Omit<RouterSpec, 'devices' | 'subscribers'>> {
  /** "6.49.10" (or "v6"), "6.40" (pre-6.43 challenge login), "7.15" ("v7"), "7.18.2" ("v7.18": sends !empty) */
  version?: string;
  /** what /system/resource/print reports (default CHR on x86_64) */
  hardware?: Partial<Hardware>;
  host?: string;
  devices?: DeviceSpec[];
  subscribers?: SubscriberSpec[];
  /** a kicked or cut-off subscriber dials again after this long; null: never (default 500 ms) */
  pppRedialMs?: number | null;
  webhookTimeoutMs?: number;
  /** api-ssl: serve the API over TLS with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
}

export class SimulatedRouter {
  readonly id: string;
  name: string;
  readonly user: string;
  readonly password: string;
  readonly host: string;
  get version(): string {
    return this.ros.version;
  }
  get rosMajor(): 6 | 7 {
    return this.ros.major;
  }
  readonly building?: { name: string; code: string };
  readonly token?: string;
  readonly stats: SimStats = emptyStats();

  private readonly ros: RouterVersion;
  private readonly hardware: Hardware;
  private readonly faults = new RouterFaults();
  private readonly scheduler = new Scheduler();
  private readonly menus: MenuStore;
  private readonly network: NetworkModel;
  private readonly scripts: ScriptHost;
  private readonly sessions: SubscriberSessions;
  private readonly wire: WireServer;
  private startedAt = Date.now();
  private down = false;
  private rebootingUntil = 0;
  private stopped = false;

  private constructor(o: SimulatedRouterOptions) {
    this.ros = parseRouterVersion(o.version ?? 'v7');
    this.hardware = { ...DEFAULT_HARDWARE, ...o.hardware };
    this.id = o.id ?? randomBytes(12).toString('hex');
    this.name = o.name ?? `sim-${this.id.slice(-6)}`;
    this.user = o.user ?? 'api';
    this.password = o.password ?? randomBytes(9).toString('base64url');
    this.host = o.host ?? '127.0.0.1';
    this.building = o.building;
    this.token = o.token;
    const running = () => !this.stopped && !this.rebooting;
    this.network = new NetworkModel(this.host);
    this.menus = new MenuStore({ isReachable: (ip) => this.network.isReachable(ip), endSession: (name) => this.sessions.disconnect(name, { redial: true }) });
    this.scripts = new ScriptHost(this.menus, this.ros, this.faults, o.webhookTimeoutMs ?? 5000, running);
    this.sessions = new SubscriberSessions(this.menus, this.network, this.scripts, this.scheduler, o.pppRedialMs === undefined ? 500 : o.pppRedialMs, running);
    this.wire = new WireServer({
      host: this.host,
      port: o.port ?? 0,
      tls: o.tls,
      version: this.ros,
      user: this.user,
      password: this.password,
      faults: this.faults,
      stats: this.stats,
      scheduler: this.scheduler,
      accepting: () => !this.down && !this.stopped && !this.rebooting,
      handler: {
        execute: (command, attrs, queries) => this.execute(command, attrs, queries),
        stream: (command, session, tag, attrs) => command === '/ping' && (streamPing(session, tag, attrs, this.network, this.scheduler, this.rosMajor), true),
      },
    });
    for (const d of o.devices ?? []) this.addDevice(d);
    for (const s of o.subscribers ?? []) this.addSubscriber(s);
  }

  /**
   * An upgrade (or downgrade) in place: from now on the router reports `version` and runs scripts
   * as that release does. (A real upgrade also reboots; use the reboot fault for that part.)
   */
  upgrade(version: string): void {
    // The version object is shared with the script host and the wire server: changed in place.
    Object.assign(this.ros, parseRouterVersion(version));
  }

  static async start(options: SimulatedRouterOptions = {}): Promise<SimulatedRouter> {
    const r = new SimulatedRouter(options);
    await r.wire.listen();
    return r;
  }

  get port(): number {
    return this.wire.port;
  }

  /** every POST the scripts made (newest last, capped); `dropped` ones never left the router */
  get webhooks(): WebhookAttempt[] {
    return this.scripts.webhooks;
  }

  /** hooks the router did not run: a command its version lacks, or unreadable text */
  get scriptFailures(): ScriptFailure[] {
    return this.scripts.failures;
  }

  /** true from `reboot` until the router is back */
  get rebooting(): boolean {
    return this.rebootingUntil > 0;
  }

  /** What the pool needs to reach this router. */
  endpoint(): RouterEndpoint {
    return { id: this.id, host: this.host, port: this.port, user: this.user, password: () => this.password, version: this.version };
  }

  // ------------------------------------------------------------------ topology and sessions

  addDevice(d: DeviceSpec): void {
    this.network.addDevice(d);
  }

  /** Adds a subscriber with its PPP secret; online (an active session, on-up run) unless `online: false` or its station is unreachable. */
  addSubscriber(s: SubscriberSpec): void {
    this.sessions.add(s);
  }

  /** A host answers if it and every device above it, up to the router, are up. */
  isReachable(ip: string): boolean {
    return this.network.isReachable(ip);
  }

  setDeviceUp(ip: string, up: boolean): void {
    try {
      this.network.device(ip).up = up;
    } catch {
      throw new Error(`simulated router ${this.name}: no device ${ip}`);
    }
    this.topologyChanged();
  }

  setHostLatency(ip: string, ms: number): void {
    this.network.setLatency(ip, ms);
  }

  setHostLoss(ip: string, percent: number): void {
    this.network.setLoss(ip, percent);
  }

  deviceList(): SimDevice[] {
    return this.network.list();
  }

  subscriberList(): Subscriber[] {
    return this.sessions.list();
  }

  /** Starts a PPP session (runs the profile's on-up). False when the secret is missing or disabled. */
  pppConnect(username: string): boolean {
    return this.sessions.connect(username);
  }

  /** Ends a PPP session (runs the profile's on-down). */
  pppDisconnect(username: string, redial = false): boolean {
    return this.sessions.disconnect(username, { redial });
  }

  /** A DHCP lease binds (lease-script with leaseBound=1). */
  leaseBind(mac: string, ip: string, opts: { hostname?: string; server?: string } = {}): void {
    this.sessions.leaseBind(mac, ip, opts);
  }

  /** A DHCP lease expires or is released (lease-script with leaseBound=0). */
  leaseExpire(mac: string): void {
    this.sessions.leaseExpire(mac);
  }

  // ------------------------------------------------------------------ faults

  /** Router down: refuses connections (listener closed) and drops open ones. Up: listens again on the same port. */
  async setRouterDown(down: boolean): Promise<void> {
    if (down === this.down) return;
    this.down = down;
    this.network.routerUp = !down;
    if (down) await this.wire.close();
    else if (!this.rebooting) await this.wire.listen();
  }

  /**
   * Reboot: for `ms` the API refuses connections and nothing is forwarded or answers; PPP
   * sessions are gone without on-down (the router lost them, it did not end them). When it is
   * back, uptime starts again and every subscriber dials in (on-up runs for each).
   */
  async reboot(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new Error('reboot needs a duration "ms" >= 0');
    if (this.rebooting || this.stopped) return;
    this.rebootingUntil = Date.now() + ms;
    this.network.forwarding = false;
    const wasOnline = this.sessions.dropAll();
    await this.wire.close();
    this.scheduler.later(() => void this.bootCompleted(wasOnline), ms);
  }

  private async bootCompleted(wasOnline: string[]): Promise<void> {
    if (this.stopped) return;
    this.startedAt = Date.now();
    this.network.forwarding = true;
    if (!this.down) await this.wire.listen();
    this.rebootingUntil = 0;
    this.sessions.reconnectAll(wasOnline);
    netwatchCheck(this.menus, this.network, this.scripts);
  }

  /** Whether nothing is planned any more (no redial or reboot pending): a test resetting the router waits for it. */
  get idle(): boolean {
    return this.scheduler.pending === 0;
  }

  /** The API stops answering (connections are still accepted). */
  setHang(hung: boolean): void {
    this.faults.hung = hung;
  }

  /** The next reply is cut in the middle and the connection dropped. */
  dropNextReply(): void {
    this.faults.dropNextReply = true;
  }

  /** One command refused (`trap`) or its connection dropped before it runs (`drop`), e.g. the kick. */
  failCommand(f: CommandFault): void {
    this.faults.failCommand(f);
  }

  /** Ends `failCommand`. */
  clearCommandFaults(): void {
    this.faults.clearCommandFaults();
  }

  /** Every reply waits this long (slow router). */
  setApiLatency(ms: number): void {
    this.faults.apiLatencyMs = ms;
  }

  /** Every API login is refused with the wrong-password trap (changed password, locked user). */
  setRefuseLogin(refuse: boolean): void {
    this.faults.refuseLogin = refuse;
  }

  /** Scripts run but their POSTs are lost: every one, the next `count`, or only one `kind`. */
  dropWebhooks(d: WebhookDrop = {}): void {
    this.faults.dropWebhooks(d);
  }

  /** Ends `dropWebhooks`. */
  deliverWebhooks(): void {
    this.faults.deliverWebhooks();
  }

  /** Scripts run (their POSTs carry the time they ran) but the POSTs wait until `releaseWebhooks`. */
  holdWebhooks(): void {
    this.faults.holdWebhooks = true;
  }

  /**
   * Ends `holdWebhooks`: delivers the held POSTs one at a time, in the order the scripts made
   * them or in reverse (an UP arriving before its DOWN), then sends new ones as they come.
   */
  async releaseWebhooks(order: 'made' | 'reverse' = 'made'): Promise<void> {
    this.faults.holdWebhooks = false;
    await this.scripts.releaseHeld(order);
  }

  /** POSTs waiting for `releaseWebhooks`. */
  get heldWebhooks(): number {
    return this.scripts.heldCount;
  }

  /** The router's clock runs `ms` ahead (negative: behind): the timestamps its scripts send. */
  setClockOffset(ms: number): void {
    this.faults.clockOffsetMs = ms;
  }

  /** Sends `!fatal <message>` on every connection and closes them. */
  sendFatal(message = 'session terminated on request'): void {
    this.wire.sendFatal(message);
  }

  /** Drops every API connection (like a restart of the API service). */
  dropConnections(): void {
    this.wire.dropConnections();
  }

  // ------------------------------------------------------------------ inspection

  /** Rows of a menu as the router holds them (`/ppp/secret`, `/tool/netwatch`, ...). */
  table(path: string): Row[] {
    return this.menus.snapshot(path);
  }

  resetStats(): void {
    Object.assign(this.stats, { ...emptyStats(), activeConnections: this.stats.activeConnections });
  }

  /** Resolves when the script-triggered POSTs started so far have finished. */
  settled(): Promise<void> {
    return this.scripts.settled();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.scheduler.cancelAll();
    await this.wire.close();
    await this.settled();
  }

  // ------------------------------------------------------------------ commands

  private execute(command: string, a: Row, queries: string[]): Reply {
    const slash = command.lastIndexOf('/');
    const path = command.slice(0, slash);
    const verb = command.slice(slash + 1);
    const read = verb === 'print' || verb === 'getall';
    if (path === '/system/identity') {
      if (read) return { rows: [{ name: this.name }] };
      if (verb === 'set') {
        this.name = a.name ?? this.name;
        return { rows: [] };
      }
    }
    if (path === '/system/resource' && read) return { rows: [project(this.resource(), a['.proplist'])] };
    if (path === '/system/script' && verb === 'run') {
      const t = this.menus.table(path);
      for (const id of this.menus.resolve(t, a['.id'] ?? a.number)) {
        const row = t.rows.get(id)!;
        row['run-count'] = String(Number(row['run-count'] ?? '0') + 1);
      }
      return { rows: [] };
    }
    if (!this.menus.has(path)) throw new Trap('no such command prefix', 0);
    return this.menus.execute(path, verb, a, queries);
  }

  private resource(): Row {
    return {
      uptime: formatUptime((Date.now() - this.startedAt) / 1000),
      version: `${this.version} (stable)`,
      'build-time': '2025-01-01 00:00:00',
      'free-memory': '838860800',
      'total-memory': '1073741824',
      cpu: 'QEMU',
      'cpu-count': '2',
      'cpu-load': String(2 + Math.floor(Math.random() * 5)),
      'architecture-name': this.hardware.architectureName,
      'board-name': this.hardware.boardName,
      platform: 'MikroTik',
    };
  }

  private topologyChanged(): void {
    netwatchCheck(this.menus, this.network, this.scripts);
    this.sessions.topologyChanged();
  }
}
