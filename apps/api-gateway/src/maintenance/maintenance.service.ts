import { Injectable } from '@nestjs/common';
import { BuildingRepository, DeviceRepository, MaintenanceWindowRepository, MikrotikRouterRepository, SubscriberRepository, toId, windowRules, type Id, type MaintenanceWindow } from '@isp/data';
import { ConflictError, currentOrNextOccurrence, InvalidRequestError, isWindowActive, maintenanceWindowProblem, NotFoundError, type MaintenanceTargetKind } from '@isp/domain';
import { assertBuildingScope } from '../auth/building-scope';
import type { Principal } from '../auth/roles';
import { MaintenanceScheduler } from './maintenance-scheduler';
import type { CreateMaintenanceDto, MaintenanceQueryDto, MaintenanceViewDto, UpdateMaintenanceDto } from './maintenance.dto';

export function maintenanceView(w: MaintenanceWindow, now = new Date()): MaintenanceViewDto {
  const rules = windowRules(w);
  const occ = currentOrNextOccurrence(rules, now);
  return {
    id: String(w._id),
    target: { kind: w.target.kind, id: String(w.target.id), name: w.target.name },
    building: w.building ? String(w.building) : undefined,
    startsAt: w.startsAt,
    endsAt: w.endsAt,
    recurrence: w.recurrence,
    reason: w.reason,
    createdBy: w.createdBy,
    ...(w.endedAt && { endedAt: w.endedAt, endedBy: w.endedBy ?? undefined }),
    active: isWindowActive(rules, now),
    ...(occ && { occurrence: occ }),
  };
}

/** The times of a window, checked: a 400 names the field. */
function times(startsAt: string, endsAt: string, recurrence: MaintenanceWindow['recurrence']): { startsAt: Date; endsAt: Date } {
  const w = { startsAt: new Date(startsAt), endsAt: new Date(endsAt), recurrence };
  const problem = maintenanceWindowProblem(w);
  if (problem) throw new InvalidRequestError(problem);
  return w;
}

@Injectable()
export class MaintenanceService {
  constructor(
    private readonly windows: MaintenanceWindowRepository,
    private readonly scheduler: MaintenanceScheduler,
    private readonly buildings: BuildingRepository,
    private readonly routers: MikrotikRouterRepository,
    private readonly devices: DeviceRepository,
    private readonly subscribers: SubscriberRepository,
  ) {}

  async list(q: MaintenanceQueryDto): Promise<{ items: MaintenanceViewDto[] }> {
    const now = new Date();
    const filter = q.building ? { buildings: [toId(q.building)] } : {};
    const state = q.state ?? 'current';
    const rows = state === 'all' ? await this.windows.find(filter) : await this.windows.findCurrent(now, filter);
    const items = rows.map((w) => maintenanceView(w, now)).filter((v) => state === 'all' || (state === 'active' ? v.active : state === 'upcoming' ? !v.active && v.occurrence : v.occurrence));
    return { items };
  }

  async get(id: string): Promise<MaintenanceViewDto> {
    return maintenanceView(await this.find(id));
  }

  async create(dto: CreateMaintenanceDto, by: Principal): Promise<MaintenanceViewDto> {
    const recurrence = dto.recurrence ?? 'none';
    const t = times(dto.startsAt, dto.endsAt, recurrence);
    if (t.endsAt.getTime() <= Date.now() && recurrence === 'none') throw new InvalidRequestError('endsAt must be in the future');
    const target = await this.target(dto.targetKind, dto.targetId);
    assertBuildingScope(by, target.building, "This window's building");
    const w = await this.windows.create({ target: { kind: dto.targetKind, id: toId(dto.targetId), name: target.name }, building: target.building, ...t, recurrence, reason: dto.reason.trim(), createdBy: by.email, endedAt: null, endedBy: null });
    await this.scheduler.schedule(w);
    return maintenanceView(w);
  }

  async update(id: string, dto: UpdateMaintenanceDto, by: Principal): Promise<MaintenanceViewDto> {
    const before = await this.find(id);
    assertBuildingScope(by, before.building, "This window's building");
    if (before.endedAt) throw new ConflictError('This window was ended; create a new one');
    const recurrence = dto.recurrence ?? before.recurrence;
    const t = times(dto.startsAt ?? before.startsAt.toISOString(), dto.endsAt ?? before.endsAt.toISOString(), recurrence);
    const w = await this.windows.update(id, { ...t, recurrence, ...(dto.reason && { reason: dto.reason.trim() }) });
    if (!w) throw new NotFoundError('Maintenance window', id);
    await this.scheduler.unschedule(before);
    await this.scheduler.schedule(w);
    // Shortened or moved away: what it held back is looked at now (the job pages only what is no longer covered).
    if (!isWindowActive(windowRules(w), new Date()) && isWindowActive(windowRules(before), new Date())) await this.scheduler.endNow(id);
    return maintenanceView(w);
  }

  /** Ends the window now (a weekly one: this occurrence and every later one). */
  async end(id: string, by: Principal): Promise<MaintenanceViewDto> {
    const before = await this.find(id);
    assertBuildingScope(by, before.building, "This window's building");
    const w = await this.windows.end(id, by.email);
    if (!w) throw new ConflictError('This window was already ended');
    await this.scheduler.unschedule(before);
    await this.scheduler.endNow(id, w.endedAt ?? new Date());
    return maintenanceView(w);
  }

  async remove(id: string, by: Principal): Promise<void> {
    const before = await this.find(id);
    assertBuildingScope(by, before.building, "This window's building");
    if (!(await this.windows.delete(id))) throw new NotFoundError('Maintenance window', id);
    await this.scheduler.unschedule(before);
    await this.scheduler.endNow(id);
  }

  private async find(id: string): Promise<MaintenanceWindow> {
    const w = await this.windows.findById(id);
    if (!w) throw new NotFoundError('Maintenance window', id);
    return w;
  }

  /** The target's name and building (for the scope check and the list by building). */
  private async target(kind: MaintenanceTargetKind, id: string): Promise<{ name: string; building: Id | null }> {
    const found = await (async () => {
      switch (kind) {
        case 'building': {
          const b = await this.buildings.findById(id);
          return b && { name: b.name, building: b._id };
        }
        case 'router': {
          const r = await this.routers.findById(id);
          return r && { name: r.name, building: r.building ?? null };
        }
        case 'device': {
          const d = await this.devices.findById(id);
          return d && { name: d.name, building: d.building ?? null };
        }
        case 'subscriber': {
          const s = await this.subscribers.findById(id);
          return s && { name: s.username, building: s.building ?? null };
        }
      }
    })();
    if (!found) throw new NotFoundError(kind, id);
    return found;
  }
}
