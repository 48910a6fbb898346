import { Inject, Injectable } from '@nestjs/common';
import {
  BuildingRepository,
  DeviceRepository,
  MikrotikRouterRepository,
  SubscriberRepository,
  adoptionOf,
  newId,
  toId,
  type MikrotikRouter,
} from '@isp/data';
import { ConflictError, JobName, NotFoundError, type RouterRole, type SecretBox, ValidationError, WEBHOOK_TOKEN_HEADER } from '@isp/domain';
import { BroadcastPublisher, JobProducer, SECRET_BOX, WebhookTokenIssuer } from '@isp/platform';
import { assertBuildingScope } from '../auth/building-scope';
import type { Principal } from '../auth/roles';
import type { Page } from '../common/pagination.dto';
import type { CreateRouterDto, RouterViewDto, UpdateRouterDto, WebhookTokenDto } from './router.dto';
import type { AdoptionApprovedDto, RouterDriftDto } from './router-drift.dto';

/**
 * Fields that say where and as whom the system logs in. The stored password goes wherever they
 * point, so changing one needs the password in the same request: otherwise whoever may edit a
 * router could point it at a listener of theirs and read the write-only password.
 */
export const CONNECTION_FIELDS = ['host', 'apiPort', 'tls', 'tlsCertificate', 'apiUser'] as const;

/** The connection fields `dto` changes (a field sent with its current value changes nothing). */
export function changedConnectionFields(before: MikrotikRouter, dto: UpdateRouterDto): string[] {
  return CONNECTION_FIELDS.filter((k) => dto[k] !== undefined && (dto[k] ?? null) !== (before[k] ?? null));
}

/** What the API shows of a router: never the password, never the token hash. */
export function routerView(r: MikrotikRouter): RouterViewDto {
  return {
    id: String(r._id),
    name: r.name,
    host: r.host,
    apiPort: r.apiPort,
    apiUser: r.apiUser,
    tls: r.tls,
    tlsCertificate: r.tlsCertificate ?? undefined,
    rosVersion: r.rosVersion,
    rosVersionObservedAt: r.rosVersionObservedAt,
    boardName: r.boardName,
    architecture: r.architecture,
    netwatchEntries: r.netwatchEntries,
    building: r.building ? String(r.building) : undefined,
    role: r.role,
    allowedSourceIps: r.allowedSourceIps ?? [],
    hasWebhookToken: Boolean(r.webhookTokenHash),
    webhookTokenIssuedAt: r.webhookTokenIssuedAt,
    status: { ...(r.status ?? { state: 'UNKNOWN' }), incident: r.status?.incident ? String(r.status.incident) : undefined },
    syncStatus: r.syncStatus,
    syncError: r.syncError,
    lastSyncedAt: r.lastSyncedAt,
    adoption: adoptionOf(r),
  };
}

@Injectable()
export class RoutersService {
  constructor(
    private readonly routers: MikrotikRouterRepository,
    private readonly buildings: BuildingRepository,
    private readonly devices: DeviceRepository,
    private readonly users: SubscriberRepository,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly producer: JobProducer,
    private readonly broadcaster: BroadcastPublisher,
    private readonly tokens: WebhookTokenIssuer,
  ) {}

  async list(q: { building?: string; role?: RouterRole; limit: number; skip: number }): Promise<Page<RouterViewDto>> {
    const { items, total } = await this.routers.page({ building: q.building, role: q.role }, q);
    return { items: items.map(routerView), total, limit: q.limit, skip: q.skip };
  }

  async get(id: string): Promise<MikrotikRouter> {
    const r = await this.routers.findById(id);
    if (!r) throw new NotFoundError('Router', id);
    return r;
  }

  private async requireBuilding(id: string): Promise<void> {
    if (!(await this.buildings.findById(id))) throw new ValidationError(`Building ${id} does not exist`);
  }

  async create(dto: CreateRouterDto, p: Principal): Promise<RouterViewDto> {
    assertBuildingScope(p, dto.building);
    await this.requireBuilding(dto.building);
    if (await this.routers.findByName(dto.name)) throw new ConflictError(`A router named ${dto.name} already exists`);
    // api-ssl listens on 8729: a TLS router without a port must not be dialled on the plain 8728.
    const _id = newId(); // the password is encrypted bound to the record, so its id comes first
    const r = await this.routers.create({ ...dto, _id, apiPort: dto.apiPort ?? (dto.tls ? 8729 : 8728), building: toId(dto.building), apiPassword: this.box.encrypt(dto.apiPassword, 'router.apiPassword', _id) });
    const id = String(r._id);
    await this.producer.add(JobName.SYNC_ROUTER, { routerId: id });
    await this.broadcaster.routerChanged({ routerId: id, change: 'created' });
    await this.broadcaster.topologyChanged({ reason: 'router.created', routerId: id, buildingId: dto.building });
    return routerView(r);
  }

  async update(id: string, dto: UpdateRouterDto, p: Principal): Promise<RouterViewDto> {
    const before = await this.get(id);
    assertBuildingScope(p, before.building);
    if (dto.building) assertBuildingScope(p, dto.building);
    const repointed = changedConnectionFields(before, dto);
    if (repointed.length && dto.apiPassword === undefined) {
      throw new ValidationError(`apiPassword is required when changing ${repointed.join(', ')} (the stored password is only sent where it was given for)`);
    }
    if (dto.building) await this.requireBuilding(dto.building);
    const { apiPassword, building, ...rest } = dto;
    const set: Partial<MikrotikRouter> = { ...rest };
    if (building) set.building = toId(building);
    if (apiPassword !== undefined) set.apiPassword = this.box.encrypt(apiPassword, 'router.apiPassword', id);
    const r = await this.routers.update(id, set);
    if (!r) throw new NotFoundError('Router', id);
    const credentials = apiPassword !== undefined || dto.apiUser !== undefined || dto.host !== undefined || dto.apiPort !== undefined || dto.tls !== undefined || dto.tlsCertificate !== undefined;
    const change = credentials ? 'credentials' : dto.allowedSourceIps ? 'allowlist' : 'updated';
    if (credentials) await this.producer.add(JobName.SYNC_ROUTER, { routerId: id });
    await this.broadcaster.routerChanged({ routerId: id, change });
    if (building && building !== String(before.building)) {
      // Devices probed by this router that sat in its old building move with it.
      await this.devices.moveRouterBuilding(id, before.building, building);
      await this.users.moveRouterBuilding(id, before.building, building);
    }
    await this.broadcaster.topologyChanged({ reason: 'router.updated', routerId: id, buildingId: String(r.building) });
    return routerView(r);
  }

  async remove(id: string, p: Principal): Promise<void> {
    const r = await this.get(id);
    assertBuildingScope(p, r.building);
    const [devices, users] = await Promise.all([this.devices.count({ router: id }), this.users.count({ router: id })]);
    if (devices || users) throw new ConflictError(`Router still has ${devices} device(s) and ${users} subscriber(s)`);
    await this.routers.delete(id);
    await this.broadcaster.routerChanged({ routerId: id, change: 'removed' });
    await this.broadcaster.topologyChanged({ reason: 'router.deleted', routerId: id, buildingId: r.building ? String(r.building) : undefined });
  }

  /**
   * Issues (or rotates) the router's webhook token. The token is returned once; ingest checks
   * its hash, provisioning reads the encrypted copy to write the snitch scripts, and this API
   * never returns it again. Ingest replicas drop their cached hash on the broadcast;
   * provisioning re-installs the snitch scripts (WebhookTokenIssuer).
   */
  async issueToken(id: string, p: Principal): Promise<WebhookTokenDto> {
    assertBuildingScope(p, (await this.get(id)).building);
    const { token, issuedAt } = await this.tokens.issue(id);
    return { token, issuedAt, header: WEBHOOK_TOKEN_HEADER };
  }

  async drift(id: string, p: Principal): Promise<RouterDriftDto> {
    const r = await this.routers.findDrift(id);
    if (!r) throw new NotFoundError('Router', id);
    assertBuildingScope(p, r.building);
    return { id: String(r._id), name: r.name, adoption: adoptionOf(r), report: r.drift };
  }

  /**
   * The operator has read the adoption report: provisioning's next pass on the router adopts
   * (one syncRouter job, run once across replicas). Only a router awaiting adoption can be approved.
   */
  async approveAdoption(id: string, p: Principal): Promise<AdoptionApprovedDto> {
    const r = await this.get(id);
    assertBuildingScope(p, r.building);
    const approved = await this.routers.approveAdoption(id, p.email);
    if (!approved) throw new ConflictError(`Router ${r.name} is not awaiting adoption (it is ${adoptionOf(r)})`);
    await this.producer.add(JobName.SYNC_ROUTER, { routerId: id });
    return { id, adoption: adoptionOf(approved), queued: true };
  }
}
