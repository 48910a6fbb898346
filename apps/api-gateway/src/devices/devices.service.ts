import { Injectable } from '@nestjs/common';
import { BuildingRepository, DeviceRepository, MikrotikRouterRepository, SubscriberRepository, toId, type Device } from '@isp/data';
import { ConflictError, type DeviceType, JobName, type NodeState, NotFoundError, ValidationError } from '@isp/domain';
import { BroadcastPublisher, JobProducer } from '@isp/platform';
import type { Page } from '../common/pagination.dto';
import { assertBuildingScope } from '../auth/building-scope';
import type { Principal } from '../auth/roles';
import type { CreateDeviceDto, DeviceViewDto, UpdateDeviceDto } from './device.dto';
import { parentProblem, type ParentFacts } from './parent-rules';

export function deviceView(d: Device): DeviceViewDto {
  return {
    id: String(d._id),
    name: d.name,
    deviceType: d.deviceType,
    ipAddress: d.ipAddress,
    macAddress: d.macAddress,
    router: String(d.router),
    parent: d.parent ? String(d.parent) : null,
    altParents: (d.altParents ?? []).map(String),
    building: d.building ? String(d.building) : undefined,
    status: { ...(d.status ?? { state: 'UNKNOWN' }), incident: d.status?.incident ? String(d.status.incident) : undefined },
  };
}

function facts(d: Device): ParentFacts {
  return {
    id: String(d._id),
    router: String(d.router),
    building: d.building ? String(d.building) : null,
    deviceType: d.deviceType,
    parent: d.parent ? String(d.parent) : null,
    altParents: (d.altParents ?? []).map(String),
  };
}

@Injectable()
export class DevicesService {
  constructor(
    private readonly devices: DeviceRepository,
    private readonly routers: MikrotikRouterRepository,
    private readonly buildings: BuildingRepository,
    private readonly users: SubscriberRepository,
    private readonly broadcaster: BroadcastPublisher,
    private readonly producer: JobProducer,
  ) {}

  /**
   * The router watches each device with a Netwatch entry (address and name in its scripts):
   * a router pass now, so a new sector is watched at once rather than at the next scheduled
   * reconcile (up to 15 minutes). Deduplicated per router like every router pass: a burst of
   * edits is one pass, and an edit made while a pass is already running waits for the next.
   */
  private watchChanged(routerId: string): Promise<unknown> {
    return this.producer.add(JobName.SYNC_ROUTER, { routerId });
  }

  async list(q: { building?: string; router?: string; parent?: string; deviceType?: DeviceType; state?: string; limit: number; skip: number }): Promise<Page<DeviceViewDto>> {
    // The query DTO admits only node states.
    const filter = { building: q.building, router: q.router, parent: q.parent, deviceType: q.deviceType, state: q.state as NodeState | undefined };
    const { items, total } = await this.devices.page(filter, q);
    return { items: items.map(deviceView), total, limit: q.limit, skip: q.skip };
  }

  async get(id: string): Promise<Device> {
    const d = await this.devices.findById(id);
    if (!d) throw new NotFoundError('Device', id);
    return d;
  }

  private async checkUplinks(child: Pick<ParentFacts, 'id' | 'router' | 'building'>, uplinks: string[]): Promise<void> {
    const ancestorsOf = async (id: string) => {
      const d = await this.devices.findById(id);
      return d ? [d.parent, ...(d.altParents ?? [])].filter((x): x is NonNullable<typeof x> => Boolean(x)).map(String) : [];
    };
    for (const id of uplinks) {
      const parent = await this.devices.findById(id);
      if (!parent) throw new ValidationError(`Parent device ${id} does not exist`);
      const problem = await parentProblem(child, facts(parent), ancestorsOf);
      if (problem) throw new ValidationError(problem);
    }
  }

  async create(dto: CreateDeviceDto, p: Principal): Promise<DeviceViewDto> {
    const router = await this.routers.findById(dto.router);
    if (!router) throw new ValidationError(`Router ${dto.router} does not exist`);
    const parent = dto.parent ? await this.devices.findById(dto.parent) : null;
    const building = dto.building ?? (parent?.building ? String(parent.building) : router.building ? String(router.building) : null);
    if (dto.building && !(await this.buildings.findById(dto.building))) throw new ValidationError(`Building ${dto.building} does not exist`);
    if (!building) throw new ValidationError('building is required when the router has none');
    assertBuildingScope(p, building);
    // The router gets a Netwatch entry and its scripts: its building must be in scope too.
    assertBuildingScope(p, router.building, "The router's building");
    const altParents = [...new Set(dto.altParents ?? [])].filter((a) => a !== dto.parent);
    // A new device has no descendants yet: only the router/building rules can fail.
    await this.checkUplinks({ id: '', router: dto.router, building }, [...(dto.parent ? [dto.parent] : []), ...altParents]);
    const d = await this.devices.create({
      name: dto.name,
      deviceType: dto.deviceType,
      ipAddress: dto.ipAddress,
      macAddress: dto.macAddress,
      router: toId(dto.router),
      parent: dto.parent ? toId(dto.parent) : null,
      altParents: altParents.map(toId),
      building: toId(building),
    });
    await this.watchChanged(dto.router);
    await this.broadcaster.topologyChanged({ reason: 'device.created', buildingId: building, routerId: dto.router });
    return deviceView(d);
  }

  async update(id: string, dto: UpdateDeviceDto, p: Principal): Promise<DeviceViewDto> {
    const before = await this.get(id);
    const oldBuilding = before.building ? String(before.building) : null;
    assertBuildingScope(p, oldBuilding);
    if (dto.building && !(await this.buildings.findById(dto.building))) throw new ValidationError(`Building ${dto.building} does not exist`);
    const building = dto.building ?? oldBuilding;
    assertBuildingScope(p, building);
    const parent = dto.parent !== undefined ? dto.parent : before.parent ? String(before.parent) : null;
    const altParents = [...new Set(dto.altParents ?? (before.altParents ?? []).map(String))].filter((a) => a !== parent);
    if (dto.parent !== undefined || dto.altParents !== undefined || dto.building !== undefined) {
      await this.checkUplinks({ id, router: String(before.router), building }, [...(parent ? [parent] : []), ...altParents]);
    }
    const set: Partial<Device> = {};
    for (const k of ['name', 'deviceType', 'ipAddress', 'macAddress'] as const) if (dto[k] !== undefined) (set as Record<string, unknown>)[k] = dto[k];
    if (dto.parent !== undefined) set.parent = parent ? toId(parent) : null;
    if (dto.altParents !== undefined || dto.parent !== undefined) set.altParents = altParents.map(toId);
    if (dto.building !== undefined && building) set.building = toId(building);
    const d = await this.devices.update(id, set);
    if (!d) throw new NotFoundError('Device', id);
    // Subscribers inherit their building from their station: keep them in step.
    if (building !== oldBuilding) await this.users.setBuildingForStation(id, building ? toId(building) : null);
    if (dto.ipAddress !== undefined || dto.name !== undefined) await this.watchChanged(String(d.router));
    await this.broadcaster.topologyChanged({ reason: 'device.updated', buildingId: building ?? undefined, routerId: String(d.router) });
    return deviceView(d);
  }

  async remove(id: string, p: Principal): Promise<void> {
    const d = await this.get(id);
    assertBuildingScope(p, d.building);
    const [children, subscribers] = await Promise.all([
      this.devices.countChildren(id),
      this.users.count({ station: id }),
    ]);
    if (children || subscribers) throw new ConflictError(`Device still has ${children} child device(s) and ${subscribers} subscriber(s)`);
    await this.devices.delete(id);
    await this.watchChanged(String(d.router));
    await this.broadcaster.topologyChanged({ reason: 'device.deleted', buildingId: d.building ? String(d.building) : undefined, routerId: String(d.router) });
  }
}
