import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { BuildingRepository, DeviceRepository, MikrotikRouterRepository, SubscriberRepository, type Device, type SubscriberPlacement } from '@isp/data';
import { NegativeCache, TopologyGraph, type StatusEventSubject, type TopologyInput } from '@isp/domain';
import { DiagnosticsConfig } from '../config/diagnostics.config';

type DeviceInput = TopologyInput['devices'][number];
type SubscriberInput = TopologyInput['subscribers'][number];

/**
 * This replica's copy of the network graph. Built from MongoDB at start, rebuilt on the
 * topology.changed broadcast (every replica gets it) and periodically as a safety net, and when
 * an event names something the graph does not know yet (debounced).
 *
 * A change that names its router re-reads only that router's devices and subscribers (with the
 * buildings and routers, which are few): the rows of the others are kept from the last read and
 * the graph is built again in memory. A full read of every subscriber on each change took seconds
 * on the embedded store at 5,000 subscribers. Rows are kept by id, so a subscriber or device moved
 * to the named router replaces its row under the old one. The start and the periodic rebuild read
 * everything, and catch whatever a partial read could not see.
 */
@Injectable()
export class TopologyCacheService implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(TopologyCacheService.name);
  private current = TopologyGraph.build({ buildings: [], routers: [], devices: [], subscribers: [] });
  private reloading: Promise<void> | null = null;
  /** Work asked for during a rebuild: everything, or these routers' rows. */
  private queued: { full: boolean; routers: Set<string> } = { full: false, routers: new Set() };
  private rows: { buildings: TopologyInput['buildings']; routers: TopologyInput['routers']; devices: Map<string, DeviceInput>; subscribers: Map<string, SubscriberInput> } = {
    buildings: [],
    routers: [],
    devices: new Map(),
    subscribers: new Map(),
  };
  private timer?: NodeJS.Timeout;
  private lastMissReload = 0;
  /**
   * Subjects a reload did not find: events about them reload nothing until the periodic rebuild
   * (which would catch a missed topology.changed anyway). Without it, a router reporting a PPP
   * user nobody entered reloaded the whole graph every few seconds on every replica.
   */
  private readonly unknownSubjects: NegativeCache;

  constructor(
    private readonly buildings: BuildingRepository,
    private readonly routers: MikrotikRouterRepository,
    private readonly devices: DeviceRepository,
    private readonly users: SubscriberRepository,
    private readonly config: DiagnosticsConfig,
  ) {
    this.unknownSubjects = new NegativeCache(config.TOPOLOGY_REFRESH_MS);
  }

  async onModuleInit(): Promise<void> {
    await this.reload('start');
    this.timer = setInterval(
      () => void this.reload('periodic').catch((err: Error) => this.log.warn(`periodic topology reload failed (the current graph stays): ${err.message}`)),
      this.config.TOPOLOGY_REFRESH_MS,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  get graph(): TopologyGraph {
    return this.current;
  }

  /**
   * Rebuilds the graph: re-reads everything, or only `routerId`'s rows. Calls during a rebuild
   * coalesce into one more rebuild after it (full if any of them asked for it).
   */
  reload(reason: string, routerId?: string): Promise<void> {
    if (routerId) this.queued.routers.add(routerId);
    else this.queued.full = true;
    if (this.reloading) return this.reloading;
    this.reloading = (async () => {
      try {
        while (this.queued.full || this.queued.routers.size) {
          const work = this.queued;
          this.queued = { full: false, routers: new Set() };
          const started = Date.now();
          if (work.full) await this.loadAll();
          else await this.loadRouters([...work.routers]);
          this.current = TopologyGraph.build({ ...this.rows, devices: [...this.rows.devices.values()], subscribers: [...this.rows.subscribers.values()] });
          this.log.log({ reason, nodes: this.current.size, ms: Date.now() - started, ...(!work.full && { routers: work.routers.size }) }, 'topology loaded');
        }
      } finally {
        this.reloading = null;
      }
    })();
    return this.reloading;
  }

  private async loadAll(): Promise<void> {
    const [, devices, users] = await Promise.all([this.loadTop(), this.devices.findAll(), this.users.findPlacements()]);
    this.rows.devices = new Map(devices.map((d) => [String(d._id), deviceInput(d)]));
    this.rows.subscribers = new Map(users.map((u) => [String(u._id), subscriberInput(u)]));
  }

  private async loadRouters(routerIds: string[]): Promise<void> {
    const [, devices, users] = await Promise.all([
      this.loadTop(),
      Promise.all(routerIds.map((router) => this.devices.findAll({ router }))),
      Promise.all(routerIds.map((router) => this.users.findPlacements({ router }))),
    ]);
    const named = new Set(routerIds);
    for (const [id, d] of this.rows.devices) if (named.has(d.routerId)) this.rows.devices.delete(id);
    for (const [id, u] of this.rows.subscribers) if (named.has(u.routerId)) this.rows.subscribers.delete(id);
    for (const d of devices.flat()) this.rows.devices.set(String(d._id), deviceInput(d));
    for (const u of users.flat()) this.rows.subscribers.set(String(u._id), subscriberInput(u));
  }

  private async loadTop(): Promise<void> {
    const [buildings, routers] = await Promise.all([this.buildings.findAll(), this.routers.findAll()]);
    this.rows.buildings = buildings.map((b) => ({ id: String(b._id), name: b.name }));
    this.rows.routers = routers.map((r) => ({ id: String(r._id), name: r.name, role: r.role, buildingId: idOrNull(r.building) }));
  }

  /**
   * The node an event is about: PPP username -> subscriber; DHCP MAC/IP -> subscriber; netwatch
   * host -> device (or subscriber with that static IP). A miss reloads the graph once (at most
   * every few seconds) in case the record is newer than the last build; a subject still unknown
   * after that is remembered, so its next events reload nothing.
   */
  async resolveSubject(routerId: string, subject: StatusEventSubject): Promise<string | undefined> {
    const found = this.lookup(routerId, subject);
    if (found) return found;
    if (this.reloading) {
      // A rebuild under way (a topology change being read) may bring it: no second rebuild queued behind it.
      await this.reloading.catch(() => undefined);
      const built = this.lookup(routerId, subject);
      if (built) return built;
    }
    const key = `${routerId}|${JSON.stringify(subject)}`;
    if (this.unknownSubjects.has(key) || Date.now() - this.lastMissReload < this.config.UNKNOWN_SUBJECT_RELOAD_INTERVAL_MS) return undefined;
    this.lastMissReload = Date.now();
    await this.reload('unknown subject', routerId);
    const after = this.lookup(routerId, subject);
    if (!after) this.unknownSubjects.add(key);
    return after;
  }

  private lookup(routerId: string, subject: StatusEventSubject): string | undefined {
    const g = this.current;
    switch (subject.kind) {
      case 'ppp':
        return g.subscriberByUsername(routerId, subject.username);
      case 'dhcp':
        return g.subscriberByMac(routerId, subject.mac) ?? (subject.ip ? g.subscriberByIp(routerId, subject.ip) : undefined);
      case 'netwatch':
        return g.deviceByIp(routerId, subject.host) ?? g.subscriberByIp(routerId, subject.host);
    }
  }
}

const idOrNull = (v: unknown): string | null => (v ? String(v) : null);

function deviceInput(d: Device): DeviceInput {
  return {
    id: String(d._id),
    name: d.name,
    deviceType: d.deviceType,
    ipAddress: d.ipAddress,
    routerId: String(d.router),
    parentId: idOrNull(d.parent),
    altParentIds: (d.altParents ?? []).map(String),
    buildingId: idOrNull(d.building),
  };
}

function subscriberInput(u: SubscriberPlacement): SubscriberInput {
  return {
    id: String(u._id),
    username: u.username,
    routerId: String(u.router),
    stationId: idOrNull(u.station),
    buildingId: idOrNull(u.building),
    macAddress: u.macAddress ?? null,
    staticIp: u.staticIp ?? null,
    currentAddress: u.currentAddress ?? null,
  };
}
