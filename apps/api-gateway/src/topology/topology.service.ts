import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@isp/domain';
import { BuildingRepository, DeviceRepository, MikrotikRouterRepository, SubscriberRepository } from '@isp/data';
import { buildTree, type SubscriberCounts, type TreeNode } from './topology-tree';

export interface TopologyView {
  building: { id: string; name: string; code: string };
  at: Date;
  roots: TreeNode[];
  totals: { routers: number; devices: number; subscribers: SubscriberCounts };
}

@Injectable()
export class TopologyService {
  constructor(
    private readonly buildings: BuildingRepository,
    private readonly routers: MikrotikRouterRepository,
    private readonly devices: DeviceRepository,
    private readonly users: SubscriberRepository,
  ) {}

  /** The building's routers, devices and per-station subscriber counts with their live states. */
  async forBuilding(id: string): Promise<TopologyView> {
    const building = await this.buildings.findById(id);
    if (!building) throw new NotFoundError('Building', id);
    const [routers, devices, subs] = await Promise.all([
      this.routers.findAll({ building: id }),
      this.devices.findAll({ building: id }),
      this.users.findStationStates(id),
    ]);
    const counts = new Map<string, SubscriberCounts>();
    const totals: SubscriberCounts = { total: 0, online: 0, down: 0, impacted: 0, suspended: 0 };
    for (const s of subs) {
      const key = s.station ? String(s.station) : '';
      const c = counts.get(key) ?? { total: 0, online: 0, down: 0, impacted: 0, suspended: 0 };
      for (const t of [c, totals]) {
        t.total++;
        if (s.isOnline) t.online++;
        if (s.state === 'DOWN') t.down++;
        if (s.state === 'IMPACTED') t.impacted++;
        if (s.isSuspended) t.suspended++;
      }
      counts.set(key, c);
    }
    const roots = buildTree(
      routers.map((r) => ({ id: String(r._id), name: r.name, type: r.role, ipAddress: r.host, state: r.status?.state ?? 'UNKNOWN', since: r.status?.since })),
      devices.map((d) => ({
        id: String(d._id),
        name: d.name,
        deviceType: d.deviceType,
        ipAddress: d.ipAddress,
        router: String(d.router),
        parent: d.parent ? String(d.parent) : null,
        altParents: (d.altParents ?? []).map(String),
        state: d.status?.state ?? 'UNKNOWN',
        since: d.status?.since,
      })),
      counts,
    );
    return { building: { id, name: building.name, code: building.code }, at: new Date(), roots, totals: { routers: routers.length, devices: devices.length, subscribers: totals } };
  }
}
