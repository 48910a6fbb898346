import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { BuildingRepository, DeviceRepository, MikrotikRouterRepository, SubscriberRepository } from '@isp/data';
import { NegativeCache, TopologyGraph, type StatusEventSubject } from '@isp/domain';
import { DiagnosticsConfig } from '../config/diagnostics.config';

/**
 * This replica's copy of the network graph. Built from MongoDB at start, rebuilt on the
 * topology.changed broadcast (every replica gets it) and periodically as a safety net, and when
 * an event names something the graph does not know yet (debounced).
 */
@Injectable()
export class TopologyCacheService implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(TopologyCacheService.name);
  private current = TopologyGraph.build({ buildings: [], routers: [], devices: [], subscribers: [] });
  private reloading: Promise<void> | null = null;
  private again = false;
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

  /** Rebuilds the graph; calls during a rebuild coalesce into one more rebuild after it. */
  reload(reason: string): Promise<void> {
    if (this.reloading) {
      this.again = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      try {
        do {
          this.again = false;
          const started = Date.now();
          this.current = await this.load();
          this.log.log({ reason, nodes: this.current.size, ms: Date.now() - started }, 'topology loaded');
        } while (this.again);
      } finally {
        this.reloading = null;
      }
    })();
    return this.reloading;
  }

  private async load(): Promise<TopologyGraph> {
    const [buildings, routers, devices, users] = await Promise.all([this.buildings.findAll(), this.routers.findAll(), this.devices.findAll(), this.users.findPlacements()]);
    const s = (v: unknown) => (v ? String(v) : null);
    return TopologyGraph.build({
      buildings: buildings.map((b) => ({ id: String(b._id), name: b.name })),
      routers: routers.map((r) => ({ id: String(r._id), name: r.name, role: r.role, buildingId: s(r.building) })),
      devices: devices.map((d) => ({
        id: String(d._id),
        name: d.name,
        deviceType: d.deviceType,
        ipAddress: d.ipAddress,
        routerId: String(d.router),
        parentId: s(d.parent),
        altParentIds: (d.altParents ?? []).map(String),
        buildingId: s(d.building),
      })),
      subscribers: users.map((u) => ({
        id: String(u._id),
        username: u.username,
        routerId: String(u.router),
        stationId: s(u.station),
        buildingId: s(u.building),
        macAddress: u.macAddress ?? null,
        staticIp: u.staticIp ?? null,
        currentAddress: u.currentAddress ?? null,
      })),
    });
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
    const key = `${routerId}|${JSON.stringify(subject)}`;
    if (this.unknownSubjects.has(key) || Date.now() - this.lastMissReload < this.config.UNKNOWN_SUBJECT_RELOAD_INTERVAL_MS) return undefined;
    this.lastMissReload = Date.now();
    await this.reload('unknown subject');
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
