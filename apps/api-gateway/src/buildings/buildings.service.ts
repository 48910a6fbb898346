import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError } from '@isp/domain';
import { BuildingRepository, DeviceRepository, MikrotikRouterRepository, type Building } from '@isp/data';
import { BroadcastPublisher } from '@isp/platform';
import { assertBuildingScope } from '../auth/building-scope';
import type { Principal } from '../auth/roles';
import type { Page } from '../common/pagination.dto';
import type { BuildingViewDto, CreateBuildingDto, UpdateBuildingDto } from './building.dto';

export function buildingView(b: Building): BuildingViewDto {
  return { id: String(b._id), name: b.name, code: b.code, address: b.address, geo: b.geo, notes: b.notes };
}

@Injectable()
export class BuildingsService {
  constructor(
    private readonly buildings: BuildingRepository,
    private readonly routers: MikrotikRouterRepository,
    private readonly devices: DeviceRepository,
    private readonly broadcaster: BroadcastPublisher,
  ) {}

  async list(q: { search?: string; limit: number; skip: number }): Promise<Page<BuildingViewDto>> {
    const { items, total } = await this.buildings.page({ search: q.search }, q);
    return { items: items.map(buildingView), total, limit: q.limit, skip: q.skip };
  }

  async get(id: string): Promise<Building> {
    const b = await this.buildings.findById(id);
    if (!b) throw new NotFoundError('Building', id);
    return b;
  }

  async create(dto: CreateBuildingDto, p: Principal): Promise<BuildingViewDto> {
    // A new building is in nobody's list yet: only a network-wide account may add one.
    assertBuildingScope(p, null, 'A new building');
    const b = await this.buildings.create({ ...dto, code: dto.code.toUpperCase() });
    await this.broadcaster.topologyChanged({ reason: 'building.created', buildingId: String(b._id) });
    return buildingView(b);
  }

  async update(id: string, dto: UpdateBuildingDto, p: Principal): Promise<BuildingViewDto> {
    assertBuildingScope(p, (await this.get(id))._id);
    const b = await this.buildings.update(id, { ...dto, ...(dto.code && { code: dto.code.toUpperCase() }) });
    if (!b) throw new NotFoundError('Building', id);
    await this.broadcaster.topologyChanged({ reason: 'building.updated', buildingId: id });
    return buildingView(b);
  }

  async remove(id: string, p: Principal): Promise<void> {
    assertBuildingScope(p, (await this.get(id))._id);
    const [routers, devices] = await Promise.all([this.routers.count({ building: id }), this.devices.count({ building: id })]);
    if (routers || devices) throw new ConflictError(`Building still has ${routers} router(s) and ${devices} device(s)`);
    await this.buildings.delete(id);
    await this.broadcaster.topologyChanged({ reason: 'building.deleted', buildingId: id });
  }
}
