import { randomBytes } from 'node:crypto';
import { MENUS, normalise, type MenuStore, type Row } from './menu-store';
import type { NetworkModel } from './network-model';
import type { Scheduler } from './scheduler';
import type { ScriptHost } from './script-host';
import type { SubscriberSpec } from './topology';

export interface Subscriber extends SubscriberSpec {
  mac: string;
}

const LOCAL_ADDRESS = '100.64.255.1';
/** The PPP pool, 100.127.0.1 up: 254 hosts in each of 256 blocks. */
const POOL_SIZE = 254 * 256;

export function randomMac(): string {
  return ['02', ...[...randomBytes(5)].map((b) => b.toString(16).padStart(2, '0'))].join(':').toUpperCase();
}

/**
 * PPP sessions and DHCP leases: `/ppp/active` rows with their dynamic address-list entries, the
 * profile's on-up/on-down, redial after a kick or an outage, lease bind/expire with the server's
 * lease-script.
 */
export class SubscriberSessions {
  private readonly subscribers = new Map<string, Subscriber>();
  private poolCursor = 0;
  /** address list a PPP session's profile put its address in, by /ppp/active id */
  private readonly sessionLists = new Map<string, string>();

  constructor(
    private readonly menus: MenuStore,
    private readonly network: NetworkModel,
    private readonly scripts: ScriptHost,
    private readonly scheduler: Scheduler,
    /** a kicked or cut-off subscriber dials again after this long; null: never */
    private readonly redialMs: number | null,
    /** false while the router is off: nobody dials in */
    private readonly running: () => boolean,
  ) {
    // A session's address answers pings while its station does (Live Check pings subscribers there).
    network.attachHosts((ip) => {
      const row = [...this.menus.table('/ppp/active').rows.values()].find((r) => r.address === ip);
      return row ? { via: this.subscribers.get(row.name)?.stationIp } : undefined;
    });
  }

  /** Adds a subscriber with its PPP secret; online unless `online: false` or its station is unreachable. */
  add(s: SubscriberSpec): void {
    const sub: Subscriber = { ...s, mac: s.mac ?? randomMac() };
    this.subscribers.set(s.username, sub);
    const secrets = this.menus.table('/ppp/secret');
    if (!secrets.findBy('name', s.username)) {
      secrets.insert(normalise({ ...MENUS['/ppp/secret'].defaults, name: s.username, password: s.password, service: 'pppoe', profile: s.profile ?? 'default', 'remote-address': s.address ?? '', comment: '' }));
    }
    if (s.online !== false && this.stationReachable(sub)) this.connect(s.username);
  }

  list(): Subscriber[] {
    return [...this.subscribers.values()].map((s) => ({ ...s }));
  }

  isOnline(username: string): boolean {
    return !!this.menus.table('/ppp/active').findBy('name', username);
  }

  /** Starts a PPP session (runs the profile's on-up). False when the secret is missing or disabled, or the router is off. */
  connect(username: string): boolean {
    if (!this.running()) return false;
    const secret = this.menus.table('/ppp/secret').findBy('name', username);
    if (!secret || secret.disabled === 'true') return false;
    const active = this.menus.table('/ppp/active');
    if (active.findBy('name', username)) return true;
    const sub = this.subscribers.get(username);
    const address = secret['remote-address'] || sub?.address || this.freePoolAddress();
    const callerId = sub?.mac ?? randomMac();
    const sessionId = active.insert({ name: username, service: secret.service === 'any' ? 'pppoe' : secret.service, 'caller-id': callerId, address, uptime: '0s', 'session-id': `0x81${randomBytes(3).toString('hex').toUpperCase()}`, encoding: '', radius: 'false' });
    const profile = this.profileOf(secret);
    if (profile?.['address-list']) {
      this.menus.table('/ip/firewall/address-list').insert({ list: profile['address-list'], address, dynamic: 'true', disabled: 'false', comment: '' });
      this.sessionLists.set(sessionId, profile['address-list']);
    }
    this.scripts.run('ppp', profile?.['on-up'], { user: username, 'remote-address': address, 'caller-id': callerId, 'local-address': LOCAL_ADDRESS }, `<pppoe-${username}>`);
    return true;
  }

  /** Ends a PPP session (runs the profile's on-down unless `silent`: the router lost power). */
  disconnect(username: string, opts: { redial?: boolean; silent?: boolean } = {}): boolean {
    const active = this.menus.table('/ppp/active');
    const row = active.findBy('name', username);
    if (!row) return false;
    active.rows.delete(row['.id']);
    // The entry belongs to the session: it goes with it even if the secret's profile changed since.
    const list = this.sessionLists.get(row['.id']);
    this.sessionLists.delete(row['.id']);
    if (list) {
      const lists = this.menus.table('/ip/firewall/address-list');
      for (const e of [...lists.rows.values()]) if (e.dynamic === 'true' && e.list === list && e.address === row.address) lists.rows.delete(e['.id']);
    }
    if (!opts.silent) {
      const profile = this.profileOf(this.menus.table('/ppp/secret').findBy('name', username));
      this.scripts.run('ppp', profile?.['on-down'], { user: username, 'remote-address': row.address, 'caller-id': row['caller-id'], 'local-address': LOCAL_ADDRESS }, `<pppoe-${username}>`);
    }
    if (opts.redial) this.scheduleRedial(username);
    return true;
  }

  /** Every session ends at once without scripts (power loss); returns who was online. */
  dropAll(): string[] {
    const names = [...this.menus.table('/ppp/active').rows.values()].map((r) => r.name);
    for (const n of names) this.disconnect(n, { silent: true });
    return names;
  }

  /** After the topology changed: sessions behind an unreachable station drop and come back when it is reachable. */
  topologyChanged(): void {
    for (const sub of this.subscribers.values()) {
      const online = this.isOnline(sub.username);
      const reachable = this.stationReachable(sub);
      if (online && !reachable) this.disconnect(sub.username);
      else if (!online && reachable && sub.online !== false) this.scheduleRedial(sub.username);
    }
  }

  /** Subscribers that would be online now: those started online, plus `also` (e.g. online before a reboot). */
  reconnectAll(also: string[] = []): void {
    const names = new Set([...[...this.subscribers.values()].filter((s) => s.online !== false).map((s) => s.username), ...also]);
    for (const name of names) {
      const sub = this.subscribers.get(name);
      if (!sub || this.stationReachable(sub)) this.connect(name);
    }
  }

  /** A DHCP lease binds (lease-script with leaseBound=1). */
  leaseBind(mac: string, ip: string, opts: { hostname?: string; server?: string } = {}): void {
    const leases = this.menus.table('/ip/dhcp-server/lease');
    const server = opts.server ?? [...this.menus.table('/ip/dhcp-server').rows.values()][0]?.name ?? 'dhcp1';
    const existing = leases.findBy('mac-address', mac);
    const row = { address: ip, 'mac-address': mac, 'active-address': ip, 'active-mac-address': mac, server, status: 'bound', 'host-name': opts.hostname ?? '', dynamic: 'true', disabled: 'false', 'expires-after': '10m' };
    if (existing) Object.assign(existing, row);
    else leases.insert(row);
    this.runLeaseScript(server, { leaseBound: '1', leaseActMAC: mac, leaseActIP: ip, leaseServerName: server, 'lease-hostname': opts.hostname ?? '' });
  }

  /** A DHCP lease expires or is released (lease-script with leaseBound=0). */
  leaseExpire(mac: string): void {
    const leases = this.menus.table('/ip/dhcp-server/lease');
    const row = leases.findBy('mac-address', mac);
    if (!row) return;
    if (row.dynamic === 'true') leases.rows.delete(row['.id']);
    else Object.assign(row, { status: 'waiting', 'active-address': '', 'active-mac-address': '' });
    this.runLeaseScript(row.server, { leaseBound: '0', leaseActMAC: mac, leaseActIP: row.address, leaseServerName: row.server, 'lease-hostname': row['host-name'] ?? '' });
  }

  private stationReachable(sub: Subscriber): boolean {
    return !sub.stationIp || this.network.isReachable(sub.stationIp);
  }

  private scheduleRedial(username: string): void {
    if (this.redialMs === null) return;
    this.scheduler.later(() => {
      const sub = this.subscribers.get(username);
      if (!sub || !this.running() || !this.stationReachable(sub)) return;
      this.connect(username);
    }, this.redialMs);
  }

  /**
   * The next pool address no session holds (a redial must not take another session's address),
   * from where the last one was taken: a router bringing up thousands of sessions at once asks
   * this per session, and a scan from the start each time was quadratic (seconds at 5,000).
   */
  private freePoolAddress(): string {
    const active = this.menus.table('/ppp/active');
    for (let tries = 0; tries < POOL_SIZE; tries++) {
      const n = (this.poolCursor + tries) % POOL_SIZE;
      const a = `100.127.${Math.floor(n / 254)}.${(n % 254) + 1}`;
      if (!active.findBy('address', a)) {
        this.poolCursor = n + 1;
        return a;
      }
    }
    throw new Error(`simulated router: all ${POOL_SIZE} pool addresses are in use`);
  }

  private profileOf(secret: Row | undefined): Row | undefined {
    const profiles = this.menus.table('/ppp/profile');
    return profiles.findBy('name', secret?.profile || 'default') ?? profiles.findBy('name', 'default');
  }

  private runLeaseScript(serverName: string, vars: Row): void {
    const server = this.menus.table('/ip/dhcp-server').findBy('name', serverName);
    this.scripts.run('dhcp', server?.['lease-script'], vars);
  }
}
