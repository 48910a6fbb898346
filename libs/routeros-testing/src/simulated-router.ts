import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { formatPingTime, formatUptime, type RouterEndpoint } from '@isp/routeros';
import { attributesOf, encodeSentence, SentenceDecoder } from './wire-protocol';
import { parseFetch, performFetch, scriptRunTarget, type ScriptEnv, type WebhookAttempt } from './script-runner';
import type { DeviceSpec, RouterSpec, SimDeviceType, SubscriberSpec } from './topology';

/**
 * A RouterOS router for tests, the demo and benchmarks: the real API wire protocol over TCP,
 * in-memory menus, a topology that answers /ping, faults on demand, and the snitch scripts run
 * on PPP, DHCP and Netwatch events. Everything a caller does to it is counted (`stats`).
 */

export interface SimulatedRouterOptions extends Partial<Omit<RouterSpec, 'devices' | 'subscribers'>> {
  /** "6.49.10" (or "v6"), "6.40" (pre-6.43 challenge login), "7.15" ("v7"), "7.18.2" ("v7.18": sends !empty) */
  version?: string;
  host?: string;
  devices?: DeviceSpec[];
  subscribers?: SubscriberSpec[];
  /** a kicked or cut-off subscriber dials again after this long; null: never (default 500 ms) */
  pppRedialMs?: number | null;
  webhookTimeoutMs?: number;
  /** api-ssl: serve the API over TLS with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
}

export interface SimStats {
  connectionsAccepted: number;
  activeConnections: number;
  logins: number;
  loginFailures: number;
  /** API commands after login, keepalives (`#`) and /login excluded */
  commands: number;
  commandsByPath: Record<string, number>;
  keepalives: number;
}

interface SimDevice {
  name: string;
  type: SimDeviceType;
  ip: string;
  parentIp?: string;
  mac?: string;
  up: boolean;
  latencyMs: number;
  lossPercent: number;
}

interface Subscriber extends SubscriberSpec {
  mac: string;
}

type Row = Record<string, string>;

class Table {
  readonly rows = new Map<string, Row>();
  constructor(
    private nextId: number,
    readonly unique: string[] = [],
  ) {}
  insert(row: Row): string {
    const id = `*${(this.nextId++).toString(16).toUpperCase()}`;
    this.rows.set(id, { '.id': id, ...row });
    return id;
  }
  /** `.id` list, or names (RouterOS accepts `=.id=ether1`) */
  resolve(ref: string): string[] | undefined {
    const out: string[] = [];
    for (const part of ref.split(',')) {
      if (this.rows.has(part)) out.push(part);
      else {
        const byName = [...this.rows.values()].find((r) => r.name === part);
        if (!byName) return undefined;
        out.push(byName['.id']);
      }
    }
    return out;
  }
  findBy(field: string, value: string): Row | undefined {
    return [...this.rows.values()].find((r) => r[field] === value);
  }
}

class Trap extends Error {
  constructor(
    message: string,
    readonly category?: number,
  ) {
    super(message);
  }
}

interface Reply {
  rows: Row[];
  done?: Row;
}

interface Session {
  socket: Socket;
  loggedIn: boolean;
  challenge?: Buffer;
  running: Map<string, () => void>;
}

const BOOLEAN_FIELDS = new Set(['disabled', 'dynamic', 'invalid', 'default', 'radius', 'dont-require-permissions']);

const MENUS: Record<string, { required: string[]; unique?: string[]; duplicate?: string; defaults?: Row }> = {
  '/ppp/secret': { required: ['name'], unique: ['name'], duplicate: 'failure: secret with the same name already exists', defaults: { service: 'any', profile: 'default', disabled: 'false' } },
  '/ppp/profile': { required: ['name'], unique: ['name'], duplicate: 'failure: profile with the same name already exists' },
  '/ppp/active': { required: ['name'] },
  '/queue/simple': { required: ['target'], unique: ['name'], duplicate: 'failure: queue with such name already exists', defaults: { disabled: 'false', dynamic: 'false' } },
  '/ip/firewall/address-list': { required: ['list', 'address'], unique: ['list+address'], duplicate: 'failure: already have such entry', defaults: { disabled: 'false', dynamic: 'false' } },
  '/ip/dhcp-server': { required: ['name'], unique: ['name'], duplicate: 'failure: server with such name already exists', defaults: { 'lease-script': '', disabled: 'false' } },
  '/ip/dhcp-server/lease': { required: ['address'], defaults: { disabled: 'false', dynamic: 'false' } },
  '/tool/netwatch': { required: ['host'], defaults: { disabled: 'false', interval: '10s', timeout: '1s', 'up-script': '', 'down-script': '' } },
  '/system/script': { required: ['name'], unique: ['name'], duplicate: 'failure: script with such name already exists', defaults: { owner: 'admin', policy: 'ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon', 'run-count': '0', 'dont-require-permissions': 'false' } },
};

function normalise(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) out[k] = BOOLEAN_FIELDS.has(k) ? String(v === 'yes' || v === 'true') : v;
  return out;
}

function versionInfo(v: string): { version: string; major: 6 | 7; challenge: boolean; empty: boolean } {
  const alias: Record<string, string> = { v6: '6.49.10', v7: '7.15.3', 'v7.18': '7.18.2', '6': '6.49.10', '7': '7.15.3', '7.18+': '7.18.2' };
  const version = alias[v] ?? v;
  const [maj, min] = version.split('.').map((x) => parseInt(x, 10));
  return { version, major: maj >= 7 ? 7 : 6, challenge: maj < 6 || (maj === 6 && min < 43), empty: maj > 7 || (maj === 7 && min >= 18) };
}

export class SimulatedRouter {
  readonly id: string;
  name: string;
  readonly user: string;
  readonly password: string;
  readonly host: string;
  readonly version: string;
  readonly rosMajor: 6 | 7;
  readonly building?: { name: string; code: string };
  readonly token?: string;
  port = 0;

  readonly stats: SimStats = { connectionsAccepted: 0, activeConnections: 0, logins: 0, loginFailures: 0, commands: 0, commandsByPath: {}, keepalives: 0 };
  /** every POST the scripts made (newest last, capped) */
  readonly webhooks: WebhookAttempt[] = [];

  // faults
  private down = false;
  private hung = false;
  private dropNext = false;
  private apiLatencyMs = 0;

  private server?: Server;
  private readonly tls?: { key: string; cert: string };
  private readonly sessions = new Set<Session>();
  private readonly tables = new Map<string, Table>();
  private readonly devices = new Map<string, SimDevice>();
  private readonly subscribers = new Map<string, Subscriber>();
  /** address list a PPP session's profile put its address in, by /ppp/active id */
  private readonly sessionLists = new Map<string, string>();
  private readonly pendingWork = new Set<Promise<unknown>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly startedAt = Date.now();
  private readonly challengeLogin: boolean;
  private readonly emptyReplies: boolean;
  private readonly pppRedialMs: number | null;
  private readonly webhookTimeoutMs: number;
  private stopped = false;

  private constructor(o: SimulatedRouterOptions) {
    const v = versionInfo(o.version ?? 'v7');
    this.version = v.version;
    this.rosMajor = v.major;
    this.challengeLogin = v.challenge;
    this.emptyReplies = v.empty;
    this.id = o.id ?? randomBytes(12).toString('hex');
    this.name = o.name ?? `sim-${this.id.slice(-6)}`;
    this.user = o.user ?? 'api';
    this.password = o.password ?? randomBytes(9).toString('base64url');
    this.host = o.host ?? '127.0.0.1';
    this.port = o.port ?? 0;
    this.building = o.building;
    this.token = o.token;
    this.pppRedialMs = o.pppRedialMs === undefined ? 500 : o.pppRedialMs;
    this.webhookTimeoutMs = o.webhookTimeoutMs ?? 5000;
    this.tls = o.tls;
    for (const path of Object.keys(MENUS)) this.tables.set(path, new Table(path === '/ppp/active' ? 0x80000001 : 1));
    const profiles = this.tables.get('/ppp/profile')!;
    profiles.rows.set('*0', { '.id': '*0', name: 'default', 'on-up': '', 'on-down': '', default: 'true' });
    profiles.rows.set('*FFFFFFFE', { '.id': '*FFFFFFFE', name: 'default-encryption', 'on-up': '', 'on-down': '', default: 'true' });
    this.tables.get('/ip/dhcp-server')!.insert({ name: 'dhcp1', interface: 'bridge', 'address-pool': 'dhcp_pool0', 'lease-time': '10m', 'lease-script': '', disabled: 'false', invalid: 'false' });
    for (const d of o.devices ?? []) this.addDevice(d);
    for (const s of o.subscribers ?? []) this.addSubscriber(s);
  }

  static async start(options: SimulatedRouterOptions = {}): Promise<SimulatedRouter> {
    const r = new SimulatedRouter(options);
    await r.listen();
    return r;
  }

  /** What the pool needs to reach this router. */
  endpoint(): RouterEndpoint {
    return { id: this.id, host: this.host, port: this.port, user: this.user, password: () => this.password, version: this.version };
  }

  // ------------------------------------------------------------------ topology

  addDevice(d: DeviceSpec): void {
    this.devices.set(d.ip, { name: d.name, type: d.type, ip: d.ip, parentIp: d.parentIp, mac: d.mac, up: d.up ?? true, latencyMs: d.latencyMs ?? 1, lossPercent: d.lossPercent ?? 0 });
  }

  /**
   * Adds a subscriber with its PPP secret; online (an active session, on-up run) unless
   * `online: false` or its station is unreachable.
   */
  addSubscriber(s: SubscriberSpec): void {
    const sub: Subscriber = { ...s, mac: s.mac ?? this.randomMac() };
    this.subscribers.set(s.username, sub);
    const secrets = this.tables.get('/ppp/secret')!;
    if (!secrets.findBy('name', s.username)) {
      secrets.insert(normalise({ ...MENUS['/ppp/secret'].defaults, name: s.username, password: s.password, service: 'pppoe', profile: s.profile ?? 'default', 'remote-address': s.address ?? '', comment: '' }));
    }
    if (s.online !== false && this.stationReachable(sub)) this.pppConnect(s.username);
  }

  /** A host answers if it and every device above it, up to the router, are up. */
  isReachable(ip: string): boolean {
    if (ip === this.host || ip === '127.0.0.1') return !this.down;
    let d = this.devices.get(ip);
    const seen = new Set<string>();
    while (d) {
      if (!d.up || seen.has(d.ip)) return false;
      seen.add(d.ip);
      if (!d.parentIp) return true;
      d = this.devices.get(d.parentIp);
    }
    return false; // unknown address, or a parent that does not exist
  }

  setDeviceUp(ip: string, up: boolean): void {
    const d = this.devices.get(ip);
    if (!d) throw new Error(`simulated router ${this.name}: no device ${ip}`);
    d.up = up;
    this.topologyChanged();
  }

  setHostLatency(ip: string, ms: number): void {
    const d = this.devices.get(ip);
    if (d) d.latencyMs = ms;
  }

  setHostLoss(ip: string, percent: number): void {
    const d = this.devices.get(ip);
    if (d) d.lossPercent = percent;
  }

  deviceList(): SimDevice[] {
    return [...this.devices.values()].map((d) => ({ ...d }));
  }

  subscriberList(): Subscriber[] {
    return [...this.subscribers.values()].map((s) => ({ ...s }));
  }

  /** Starts a PPP session (runs the profile's on-up). False when the secret is missing or disabled. */
  pppConnect(username: string): boolean {
    const secret = this.tables.get('/ppp/secret')!.findBy('name', username);
    if (!secret || secret.disabled === 'true') return false;
    const active = this.tables.get('/ppp/active')!;
    if (active.findBy('name', username)) return true;
    const sub = this.subscribers.get(username);
    const address = secret['remote-address'] || sub?.address || `100.127.${active.rows.size >> 8}.${(active.rows.size % 254) + 1}`;
    const callerId = sub?.mac ?? this.randomMac();
    const sessionId = active.insert({ name: username, service: secret.service === 'any' ? 'pppoe' : secret.service, 'caller-id': callerId, address, uptime: '0s', 'session-id': `0x81${randomBytes(3).toString('hex').toUpperCase()}`, encoding: '', radius: 'false' });
    const profile = this.profileOf(secret);
    if (profile?.['address-list']) {
      this.tables.get('/ip/firewall/address-list')!.insert({ list: profile['address-list'], address, dynamic: 'true', disabled: 'false', comment: '' });
      this.sessionLists.set(sessionId, profile['address-list']);
    }
    this.runHook(profile?.['on-up'], { user: username, 'remote-address': address, 'caller-id': callerId, 'local-address': '100.64.255.1' }, `<pppoe-${username}>`);
    return true;
  }

  /** Ends a PPP session (runs the profile's on-down). */
  pppDisconnect(username: string, redial = false): boolean {
    const active = this.tables.get('/ppp/active')!;
    const row = active.findBy('name', username);
    if (!row) return false;
    active.rows.delete(row['.id']);
    const secret = this.tables.get('/ppp/secret')!.findBy('name', username);
    const profile = this.profileOf(secret);
    // The entry belongs to the session: it goes with it even if the secret's profile changed since.
    const list = this.sessionLists.get(row['.id']);
    this.sessionLists.delete(row['.id']);
    if (list) {
      const lists = this.tables.get('/ip/firewall/address-list')!;
      for (const e of [...lists.rows.values()]) if (e.dynamic === 'true' && e.list === list && e.address === row.address) lists.rows.delete(e['.id']);
    }
    this.runHook(profile?.['on-down'], { user: username, 'remote-address': row.address, 'caller-id': row['caller-id'], 'local-address': '100.64.255.1' }, `<pppoe-${username}>`);
    if (redial) this.scheduleRedial(username);
    return true;
  }

  /** A DHCP lease binds (lease-script with leaseBound=1). */
  leaseBind(mac: string, ip: string, opts: { hostname?: string; server?: string } = {}): void {
    const leases = this.tables.get('/ip/dhcp-server/lease')!;
    const server = opts.server ?? [...this.tables.get('/ip/dhcp-server')!.rows.values()][0]?.name ?? 'dhcp1';
    const existing = leases.findBy('mac-address', mac);
    const row = { address: ip, 'mac-address': mac, 'active-address': ip, 'active-mac-address': mac, server, status: 'bound', 'host-name': opts.hostname ?? '', dynamic: 'true', disabled: 'false', 'expires-after': '10m' };
    if (existing) Object.assign(existing, row);
    else leases.insert(row);
    this.runLeaseScript(server, { leaseBound: '1', leaseActMAC: mac, leaseActIP: ip, leaseServerName: server, 'lease-hostname': opts.hostname ?? '' });
  }

  /** A DHCP lease expires or is released (lease-script with leaseBound=0). */
  leaseExpire(mac: string): void {
    const leases = this.tables.get('/ip/dhcp-server/lease')!;
    const row = leases.findBy('mac-address', mac);
    if (!row) return;
    if (row.dynamic === 'true') leases.rows.delete(row['.id']);
    else Object.assign(row, { status: 'waiting', 'active-address': '', 'active-mac-address': '' });
    this.runLeaseScript(row.server, { leaseBound: '0', leaseActMAC: mac, leaseActIP: row.address, leaseServerName: row.server, 'lease-hostname': row['host-name'] ?? '' });
  }

  // ------------------------------------------------------------------ faults

  /** Router down: refuses connections (listener closed) and drops open ones. Up: listens again on the same port. */
  async setRouterDown(down: boolean): Promise<void> {
    if (down === this.down) return;
    this.down = down;
    if (down) {
      for (const s of this.sessions) s.socket.destroy();
      await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
      this.server = undefined;
    } else {
      await this.listen();
    }
  }

  /** The API stops answering (connections are still accepted). */
  setHang(hung: boolean): void {
    this.hung = hung;
  }

  /** The next reply is cut in the middle and the connection dropped. */
  dropNextReply(): void {
    this.dropNext = true;
  }

  /** Every reply waits this long (slow router). */
  setApiLatency(ms: number): void {
    this.apiLatencyMs = ms;
  }

  /** Sends `!fatal <message>` on every connection and closes them. */
  sendFatal(message = 'session terminated on request'): void {
    for (const s of this.sessions) {
      s.socket.write(encodeSentence(['!fatal', message]));
      s.socket.end();
    }
  }

  /** Drops every API connection (like a reboot of the API service). */
  dropConnections(): void {
    for (const s of this.sessions) s.socket.destroy();
  }

  // ------------------------------------------------------------------ inspection

  /** Rows of a menu as the router holds them (`/ppp/secret`, `/tool/netwatch`, ...). */
  table(path: string): Row[] {
    const t = this.tables.get(path);
    return t ? [...t.rows.values()].map((r) => ({ ...r })) : [];
  }

  resetStats(): void {
    Object.assign(this.stats, { connectionsAccepted: 0, logins: 0, loginFailures: 0, commands: 0, commandsByPath: {}, keepalives: 0 });
  }

  /** Resolves when the script-triggered POSTs started so far have finished. */
  async settled(): Promise<void> {
    while (this.pendingWork.size) await Promise.allSettled([...this.pendingWork]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    for (const s of this.sessions) s.socket.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server = undefined;
    await this.settled();
  }

  // ------------------------------------------------------------------ server

  private listen(): Promise<void> {
    const tls = this.tls;
    const server = tls ? createTlsServer({ key: tls.key, cert: tls.cert }, (socket) => this.accept(socket)) : createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        server.off('error', reject);
        this.port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  private accept(socket: Socket): void {
    if (this.down || this.stopped) return void socket.destroy();
    this.stats.connectionsAccepted++;
    this.stats.activeConnections++;
    socket.setNoDelay(true);
    const session: Session = { socket, loggedIn: false, running: new Map() };
    this.sessions.add(session);
    const decoder = new SentenceDecoder();
    socket.on('data', (chunk) => {
      let sentences: string[][];
      try {
        sentences = decoder.push(chunk);
      } catch {
        return void socket.destroy();
      }
      // One write for all replies produced by this chunk (pipelined commands answer together).
      socket.cork();
      for (const s of sentences) this.onSentence(session, s);
      process.nextTick(() => socket.uncork());
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.stats.activeConnections--;
      this.sessions.delete(session);
      for (const cancel of session.running.values()) cancel();
    });
  }

  private onSentence(session: Session, words: string[]): void {
    const [command, ...rest] = words;
    const tagWord = rest.find((w) => w.startsWith('.tag='));
    const tag = tagWord ? tagWord.slice(5) : '';
    if (command === '/login') {
      // counted apart from commands: tests count "commands that touched the router"
    } else if (command === '#') this.stats.keepalives++;
    else {
      this.stats.commands++;
      this.stats.commandsByPath[command] = (this.stats.commandsByPath[command] ?? 0) + 1;
    }
    if (this.hung) return;
    const attrs = attributesOf(rest);
    const queries = rest.filter((w) => w.startsWith('?'));
    const respond = (reply: Reply | Trap) => this.send(session, tag, command, reply);
    if (command === '/login') return respond(this.login(session, attrs));
    if (!session.loggedIn) return respond(new Trap('not logged in', 5));
    if (command === '/cancel') {
      const target = attrs.tag;
      for (const [t, cancel] of session.running) if (target === undefined || t === target) cancel();
      return respond({ rows: [] });
    }
    if (command === '/quit') {
      session.socket.write(encodeSentence(['!fatal', 'session terminated on request']));
      session.socket.end();
      return;
    }
    if (command === '/ping') return this.ping(session, tag, attrs);
    let result: Reply | Trap;
    try {
      result = this.execute(command, attrs, queries);
    } catch (err) {
      result = err instanceof Trap ? err : new Trap((err as Error).message, 4);
    }
    respond(result);
  }

  private login(session: Session, a: Row): Reply | Trap {
    if (this.challengeLogin && a.response === undefined) {
      session.challenge = randomBytes(16);
      return { rows: [], done: { ret: session.challenge.toString('hex') } };
    }
    let ok = a.name === this.user;
    if (this.challengeLogin) {
      const expected = '00' + createHash('md5').update(Buffer.concat([Buffer.from([0]), Buffer.from(this.password, 'latin1'), session.challenge ?? Buffer.alloc(0)])).digest('hex');
      ok &&= a.response === expected;
    } else ok &&= a.password === this.password;
    if (!ok) {
      this.stats.loginFailures++;
      return new Trap('invalid user name or password (6)');
    }
    this.stats.logins++;
    session.loggedIn = true;
    return { rows: [] };
  }

  private send(session: Session, tag: string, command: string, reply: Reply | Trap): void {
    const tagWords = tag ? [`.tag=${tag}`] : [];
    const chunks: Buffer[] = [];
    if (reply instanceof Trap) {
      chunks.push(encodeSentence(['!trap', ...(reply.category === undefined ? [] : [`=category=${reply.category}`]), `=message=${reply.message}`, ...tagWords]));
      chunks.push(encodeSentence(['!done', ...tagWords]));
    } else {
      for (const row of reply.rows) chunks.push(encodeSentence(['!re', ...Object.entries(row).map(([k, v]) => `=${k}=${v}`), ...tagWords]));
      if (!reply.rows.length && this.emptyReplies && /\/(print|getall)$/.test(command)) chunks.push(encodeSentence(['!empty', ...tagWords]));
      chunks.push(encodeSentence(['!done', ...Object.entries(reply.done ?? {}).map(([k, v]) => `=${k}=${v}`), ...tagWords]));
    }
    this.write(session, Buffer.concat(chunks), command !== '/login');
  }

  private write(session: Session, data: Buffer, droppable: boolean): void {
    const go = () => {
      if (session.socket.destroyed) return;
      if (droppable && this.dropNext) {
        this.dropNext = false;
        session.socket.write(data.subarray(0, Math.max(1, data.length >> 1)));
        session.socket.destroy();
        return;
      }
      session.socket.write(data);
    };
    if (this.apiLatencyMs > 0) this.later(go, this.apiLatencyMs);
    else go();
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  // ------------------------------------------------------------------ commands

  private execute(command: string, a: Row, queries: string[]): Reply {
    const slash = command.lastIndexOf('/');
    const path = command.slice(0, slash);
    const verb = command.slice(slash + 1);
    if (path === '/system/identity') {
      if (verb === 'print' || verb === 'getall') return { rows: [{ name: this.name }] };
      if (verb === 'set') {
        this.name = a.name ?? this.name;
        return { rows: [] };
      }
    }
    if (path === '/system/resource' && (verb === 'print' || verb === 'getall')) {
      const upSec = (Date.now() - this.startedAt) / 1000;
      return {
        rows: [
          project(
            {
              uptime: formatUptime(upSec),
              version: `${this.version} (stable)`,
              'build-time': '2025-01-01 00:00:00',
              'free-memory': '838860800',
              'total-memory': '1073741824',
              cpu: 'QEMU',
              'cpu-count': '2',
              'cpu-load': String(2 + Math.floor(Math.random() * 5)),
              'architecture-name': 'x86_64',
              'board-name': 'CHR',
              platform: 'MikroTik',
            },
            a['.proplist'],
          ),
        ],
      };
    }
    if (path === '/system/script' && verb === 'run') {
      const t = this.tables.get(path)!;
      const ids = t.resolve(a['.id'] ?? a.number ?? '');
      if (!ids) throw new Trap('no such item', 0);
      for (const id of ids) {
        const row = t.rows.get(id)!;
        row['run-count'] = String(Number(row['run-count'] ?? '0') + 1);
      }
      return { rows: [] };
    }
    const table = this.tables.get(path);
    if (!table) throw new Trap('no such command prefix', 0);
    switch (verb) {
      case 'print':
      case 'getall': {
        const rows = [...table.rows.values()];
        return { rows: rows.filter((r) => matchesQuery(r, queries)).map((r) => project(r, a['.proplist'])) };
      }
      case 'add':
        return { rows: [], done: { ret: this.add(path, table, a) } };
      case 'set':
      case 'enable':
      case 'disable': {
        const ids = table.resolve(a['.id'] ?? a.numbers ?? '');
        if (!ids) throw new Trap('no such item', 0);
        const patch: Row = verb === 'set' ? normalise(withoutIds(a)) : { disabled: String(verb === 'disable') };
        for (const id of ids) this.update(path, table, id, patch);
        return { rows: [] };
      }
      case 'remove': {
        const ids = table.resolve(a['.id'] ?? a.numbers ?? '');
        if (!ids) throw new Trap('no such item', 0);
        for (const id of ids) {
          const row = table.rows.get(id)!;
          if (path === '/ppp/active') this.pppDisconnect(row.name, true);
          else table.rows.delete(id);
        }
        return { rows: [] };
      }
      default:
        throw new Trap('no such command', 0);
    }
  }

  private add(path: string, table: Table, a: Row): string {
    const spec = MENUS[path];
    if (path === '/ppp/active') throw new Trap('failure: cannot add active connections', 1);
    const row = normalise({ ...(spec.defaults ?? {}), ...withoutIds(a) });
    if (path === '/queue/simple' && !row.name) row.name = `queue${table.rows.size + 1}`;
    for (const field of spec.required) if (!row[field]) throw new Trap(`failure: ${field} not specified`, 1);
    for (const u of spec.unique ?? []) {
      const keys = u.split('+');
      if ([...table.rows.values()].some((r) => keys.every((k) => r[k] === row[k]))) throw new Trap(spec.duplicate ?? 'failure: already have such entry', 1);
    }
    if (path === '/ip/firewall/address-list') row['creation-time'] = new Date().toISOString().replace('T', ' ').slice(0, 19);
    if (path === '/tool/netwatch') {
      row.status = this.isReachable(row.host) ? 'up' : 'down';
      row.since = new Date().toISOString();
    }
    return table.insert(row);
  }

  private update(path: string, table: Table, id: string, patch: Row): void {
    const row = table.rows.get(id)!;
    for (const u of MENUS[path]?.unique ?? []) {
      const keys = u.split('+');
      if (!keys.some((k) => k in patch)) continue;
      const next = { ...row, ...patch };
      if ([...table.rows.values()].some((r) => r['.id'] !== id && keys.every((k) => r[k] === next[k]))) throw new Trap(MENUS[path].duplicate ?? 'failure: already have such entry', 1);
    }
    Object.assign(row, patch);
    if (path === '/tool/netwatch' && 'host' in patch) row.status = this.isReachable(row.host) ? 'up' : 'down';
  }

  private ping(session: Session, tag: string, a: Row): void {
    const address = a.address ?? '';
    // Without count a RouterOS ping never ends; the simulator behaves the same (until /cancel).
    const count = a.count === undefined ? Infinity : Math.max(1, parseInt(a.count, 10) || 1);
    const intervalMs = parseDurationMs(a.interval) ?? 1000;
    const tagWords = tag ? [`.tag=${tag}`] : [];
    let seq = 0;
    let received = 0;
    const rtts: number[] = [];
    let timer: NodeJS.Timeout | undefined;
    const finish = (cancelled: boolean) => {
      clearTimeout(timer);
      if (timer) this.timers.delete(timer);
      session.running.delete(tag);
      const out: Buffer[] = [];
      if (cancelled) out.push(encodeSentence(['!trap', '=category=2', '=message=interrupted', ...tagWords]));
      out.push(encodeSentence(['!done', ...tagWords]));
      if (!session.socket.destroyed) this.write(session, Buffer.concat(out), true);
    };
    session.running.set(tag, () => finish(true));
    const probe = () => {
      const reach = this.isReachable(address);
      const loss = this.lossAlongPath(address);
      const ok = reach && Math.random() * 100 >= loss;
      const rtt = this.latencyAlongPath(address) * (0.9 + Math.random() * 0.2);
      if (ok) {
        received++;
        rtts.push(rtt);
      }
      const sent = seq + 1;
      const row: Row = { seq: String(seq), host: address };
      if (ok) Object.assign(row, { size: a.size ?? '56', ttl: '64', time: formatPingTime(rtt, this.rosMajor) });
      else row.status = 'timeout';
      Object.assign(row, { sent: String(sent), received: String(received), 'packet-loss': String(Math.round(((sent - received) / sent) * 100)) });
      if (rtts.length) {
        Object.assign(row, {
          'min-rtt': formatPingTime(Math.min(...rtts), this.rosMajor),
          'avg-rtt': formatPingTime(rtts.reduce((x, y) => x + y, 0) / rtts.length, this.rosMajor),
          'max-rtt': formatPingTime(Math.max(...rtts), this.rosMajor),
        });
      }
      if (!session.socket.destroyed) this.write(session, encodeSentence(['!re', ...Object.entries(row).map(([k, v]) => `=${k}=${v}`), ...tagWords]), true);
      seq++;
      if (seq >= count) return finish(false);
      timer = setTimeout(() => {
        this.timers.delete(timer!);
        probe();
      }, intervalMs);
      this.timers.add(timer);
    };
    probe();
  }

  private pathTo(ip: string): SimDevice[] {
    const out: SimDevice[] = [];
    let d = this.devices.get(ip);
    while (d && out.length < 64) {
      out.push(d);
      d = d.parentIp ? this.devices.get(d.parentIp) : undefined;
    }
    return out;
  }

  private latencyAlongPath(ip: string): number {
    const path = this.pathTo(ip);
    return path.length ? path.reduce((s, d) => s + d.latencyMs, 0) * 2 : 0.05;
  }

  private lossAlongPath(ip: string): number {
    const keep = this.pathTo(ip).reduce((k, d) => k * (1 - d.lossPercent / 100), 1);
    return (1 - keep) * 100;
  }

  // ------------------------------------------------------------------ events and scripts

  private topologyChanged(): void {
    // Netwatch: state changes run up-script / down-script.
    for (const row of this.tables.get('/tool/netwatch')!.rows.values()) {
      if (row.disabled === 'true') continue;
      const status = this.isReachable(row.host) ? 'up' : 'down';
      if (status === row.status) continue;
      const was = row.status;
      row.status = status;
      row.since = new Date().toISOString();
      if (was === 'up' || was === 'down') this.runHook(status === 'up' ? row['up-script'] : row['down-script'], { host: row.host, status, name: row.name ?? '' });
    }
    // PPP: sessions behind an unreachable station drop; they come back when it is reachable.
    for (const sub of this.subscribers.values()) {
      const online = !!this.tables.get('/ppp/active')!.findBy('name', sub.username);
      const reachable = this.stationReachable(sub);
      if (online && !reachable) this.pppDisconnect(sub.username);
      else if (!online && reachable && sub.online !== false) this.scheduleRedial(sub.username);
    }
  }

  private stationReachable(sub: Subscriber): boolean {
    return !sub.stationIp || this.isReachable(sub.stationIp);
  }

  private scheduleRedial(username: string): void {
    if (this.pppRedialMs === null) return;
    this.later(() => {
      const sub = this.subscribers.get(username);
      if (!sub || this.stopped || (sub && !this.stationReachable(sub))) return;
      this.pppConnect(username);
    }, this.pppRedialMs);
  }

  private profileOf(secret: Row | undefined): Row | undefined {
    const profiles = this.tables.get('/ppp/profile')!;
    return profiles.findBy('name', secret?.profile || 'default') ?? profiles.findBy('name', 'default');
  }

  private runLeaseScript(serverName: string, vars: Row): void {
    const server = this.tables.get('/ip/dhcp-server')!.findBy('name', serverName);
    this.runHook(server?.['lease-script'], vars);
  }

  /** Runs a hook's script text the way RouterOS would, as far as the snitch scripts go. */
  private runHook(source: string | undefined, vars: Row, ifname?: string): void {
    if (!source?.trim() || this.stopped) return;
    let text = source;
    const target = scriptRunTarget(text);
    if (target) {
      const script = this.tables.get('/system/script')!.findBy('name', target);
      if (!script) return;
      script['run-count'] = String(Number(script['run-count'] ?? '0') + 1);
      text = script.source ?? '';
    }
    const env: ScriptEnv = { vars, ifname, rosMajor: this.rosMajor, now: new Date() };
    let req;
    try {
      req = parseFetch(text, env);
    } catch {
      return; // a script the simulator cannot read does nothing, like a broken script on a router
    }
    if (!req) return;
    const work = performFetch(req, this.webhookTimeoutMs).then((attempt) => {
      this.webhooks.push(attempt);
      if (this.webhooks.length > 500) this.webhooks.shift();
    });
    this.pendingWork.add(work);
    void work.finally(() => this.pendingWork.delete(work));
  }

  private randomMac(): string {
    return ['02', ...[...randomBytes(5)].map((b) => b.toString(16).padStart(2, '0'))].join(':').toUpperCase();
  }
}

function withoutIds(a: Row): Row {
  const out: Row = { ...a };
  delete out['.id'];
  delete out.numbers;
  delete out['.proplist'];
  return out;
}

function project(row: Row, proplist: string | undefined): Row {
  if (proplist === undefined) return row;
  const out: Row = {};
  for (const k of proplist.split(',')) if (k && row[k] !== undefined) out[k] = row[k];
  return out;
}

function parseDurationMs(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60000 : n * 1000;
}

function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The API query stack (ROUTEROS.md §6): starts as "infinite true", every element must hold. */
export function matchesQuery(row: Row, queries: readonly string[]): boolean {
  const stack: boolean[] = [];
  const pop = () => (stack.length ? stack.pop()! : true);
  for (const q of queries) {
    const body = q.slice(1);
    if (body.startsWith('#')) {
      const ops = body.slice(1);
      for (let i = 0; i < ops.length; i++) {
        const c = ops[i];
        if (c === '!') stack.push(!pop());
        else if (c === '&') {
          const x = pop();
          const y = pop();
          stack.push(x && y);
        } else if (c === '|') {
          const x = pop();
          const y = pop();
          stack.push(x || y);
        } else if (c === '.') {
          const x = pop();
          stack.push(x, x);
        } else if (/\d/.test(c)) {
          let j = i;
          while (j + 1 < ops.length && /\d/.test(ops[j + 1])) j++;
          const idx = Number(ops.slice(i, j + 1));
          const v = stack[idx] ?? true;
          if (j === ops.length - 1) stack.splice(0, stack.length, v); // index at the end replaces the stack
          else stack.push(v);
          i = j;
        }
      }
      continue;
    }
    if (body.startsWith('-')) {
      stack.push(row[body.slice(1)] === undefined);
      continue;
    }
    const op = body[0] === '<' || body[0] === '>' ? body[0] : '=';
    const rest = op === '=' ? body : body.slice(1);
    const eq = rest.indexOf('=');
    if (eq < 0) {
      stack.push(row[rest] !== undefined);
      continue;
    }
    const key = rest.slice(0, eq);
    const value = rest.slice(eq + 1);
    const actual = row[key];
    if (op === '=') stack.push((actual ?? '') === value);
    else if (actual === undefined) stack.push(false);
    else stack.push(op === '<' ? compare(actual, value) < 0 : compare(actual, value) > 0);
  }
  return stack.every(Boolean);
}
