import { Inject, Injectable } from '@nestjs/common';
import {
  DeviceRepository,
  IncidentRepository,
  MikrotikRouterRepository,
  newId,
  PlanRepository,
  SubscriberRepository,
  toId,
  UserDowntimeLogRepository,
  type DesiredStatePatch,
  type Subscriber,
} from '@isp/data';
import { ConflictError, JobName, normaliseMac, NotFoundError, type SecretBox, type SyncStatus, ValidationError } from '@isp/domain';
import { BroadcastPublisher, JobProducer, SECRET_BOX } from '@isp/platform';
import { assertBuildingScope } from '../auth/building-scope';
import type { Principal } from '../auth/roles';
import type { Page } from '../common/pagination.dto';
import type { SubscriberSearch } from './subscriber-search';
import { readSubscriberStatus } from './subscriber-status';
import type { CreateSubscriberDto, DesiredStateDto, SubscriberStatusDto, SubscriberViewDto, SyncStateDto, UpdateSubscriberDto } from './subscriber.dto';

export function syncState(u: Subscriber): SyncStateDto {
  return {
    desiredVersion: u.desiredVersion,
    appliedVersion: u.appliedVersion,
    syncStatus: u.syncStatus,
    syncError: u.syncError,
    lastSyncedAt: u.lastSyncedAt,
    inSync: u.appliedVersion >= u.desiredVersion && u.syncStatus === 'synced',
  };
}

/** What the API shows of a subscriber: never the password. */
export function subscriberView(u: Subscriber): SubscriberViewDto {
  return {
    id: String(u._id),
    username: u.username,
    serviceType: u.serviceType,
    staticIp: u.staticIp,
    macAddress: u.macAddress,
    router: String(u.router),
    station: u.station ? String(u.station) : null,
    building: u.building ? String(u.building) : null,
    profile: u.profile,
    isSuspended: u.isSuspended,
    rateLimit: u.rateLimit,
    planId: u.planId ? String(u.planId) : null,
    hasPassword: Boolean(u.password),
    sync: syncState(u),
    state: u.state,
    isOnline: u.isOnline,
    stateSince: u.stateSince,
    lastOnlineAt: u.lastOnlineAt,
    lastOfflineAt: u.lastOfflineAt,
    currentAddress: u.currentAddress,
  };
}

@Injectable()
export class SubscribersService {
  constructor(
    private readonly users: SubscriberRepository,
    private readonly routers: MikrotikRouterRepository,
    private readonly devices: DeviceRepository,
    private readonly downtime: UserDowntimeLogRepository,
    private readonly incidents: IncidentRepository,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly producer: JobProducer,
    private readonly broadcaster: BroadcastPublisher,
    private readonly plans: PlanRepository,
  ) {}

  private async planRef(planId: string) {
    if (!(await this.plans.findById(planId))) throw new ValidationError(`planId: plan ${planId} does not exist`);
    return toId(planId);
  }

  async list(q: { building?: string; router?: string; station?: string; syncStatus?: string; isOnline?: boolean; isSuspended?: boolean; search?: string; lookup?: SubscriberSearch; limit: number; skip: number }): Promise<Page<SubscriberViewDto>> {
    const { items, total } = await this.users.page(
      {
        building: q.building,
        router: q.router,
        station: q.station,
        // The query DTO admits only sync statuses.
        syncStatus: q.syncStatus as SyncStatus | undefined,
        isOnline: q.isOnline,
        isSuspended: q.isSuspended,
        usernamePrefix: q.search,
        lookup: q.lookup,
      },
      q,
    );
    return { items: items.map(subscriberView), total, limit: q.limit, skip: q.skip };
  }

  async get(id: string): Promise<Subscriber> {
    const u = await this.users.findById(id);
    if (!u) throw new NotFoundError('Subscriber', id);
    return u;
  }

  /** The station must be a device on the subscriber's router; it gives the building. */
  private async stationBuilding(station: string, router: string) {
    const d = await this.devices.findById(station);
    if (!d) throw new ValidationError(`Station ${station} does not exist`);
    if (String(d.router) !== router) throw new ValidationError(`Station ${station} hangs on another router`);
    return d.building ?? null;
  }

  async create(dto: CreateSubscriberDto, p: Principal): Promise<SubscriberViewDto> {
    const router = await this.routers.findById(dto.router);
    if (!router) throw new ValidationError(`Router ${dto.router} does not exist`);
    const building = dto.station ? await this.stationBuilding(dto.station, dto.router) : (router.building ?? null);
    assertBuildingScope(p, building);
    assertBuildingScope(p, router.building, "The router's building");
    if (dto.serviceType === 'static' && !dto.staticIp) throw new ValidationError('A static subscriber needs staticIp');
    if (await this.users.findByRouterAndUsername(dto.router, dto.username)) throw new ConflictError(`Subscriber ${dto.username} already exists on this router`);
    const planId = dto.planId ? await this.planRef(dto.planId) : null;
    const _id = newId(); // the password is encrypted bound to the record, so its id comes first
    const u = await this.users.create({
      _id,
      username: dto.username,
      password: dto.password !== undefined ? this.box.encrypt(dto.password, 'subscriber.password', _id) : undefined,
      serviceType: dto.serviceType ?? 'pppoe',
      staticIp: dto.staticIp,
      macAddress: dto.macAddress === undefined ? undefined : (normaliseMac(dto.macAddress) ?? undefined),
      profile: dto.profile ?? 'default',
      rateLimit: dto.rateLimit,
      planId,
      isSuspended: dto.isSuspended ?? false,
      router: toId(dto.router),
      station: dto.station ? toId(dto.station) : null,
      building,
    });
    await this.producer.add(JobName.SYNC_USER, { userId: String(u._id) });
    await this.broadcaster.topologyChanged({ reason: 'subscriber.created', routerId: dto.router, buildingId: building ? String(building) : undefined });
    return subscriberView(u);
  }

  async update(id: string, dto: UpdateSubscriberDto, p: Principal): Promise<SubscriberViewDto> {
    const before = await this.get(id);
    assertBuildingScope(p, before.building);
    const moving = (dto.routerId !== undefined && dto.routerId !== String(before.router)) || (dto.username !== undefined && dto.username !== before.username);
    if (moving) return this.relocate(before, dto, p);
    if (dto.station === undefined) return subscriberView(before);
    const building = dto.station ? await this.stationBuilding(dto.station, String(before.router)) : null;
    assertBuildingScope(p, building);
    const u = await this.users.update(id, { station: dto.station ? toId(dto.station) : null, building });
    if (!u) throw new NotFoundError('Subscriber', id);
    await this.broadcaster.topologyChanged({ reason: 'subscriber.moved', routerId: String(u.router), buildingId: building ? String(building) : undefined });
    return subscriberView(u);
  }

  /**
   * A move (routerId) and/or rename (username), as desired state: the record changes now and
   * remembers where it was (`leftBehind`); provisioning's sync creates the secret on the new
   * router, removes the old one from the old router and ends the old session, and keeps the
   * removal pending while the old router cannot be reached.
   */
  private async relocate(before: Subscriber, dto: UpdateSubscriberDto, p: Principal): Promise<SubscriberViewDto> {
    const routerId = dto.routerId ?? String(before.router);
    const username = dto.username ?? before.username;
    const router = await this.routers.findById(routerId);
    if (!router) throw new ValidationError(`routerId: router ${routerId} does not exist`);
    assertBuildingScope(p, router.building, "The router's building");
    if (await this.users.findByRouterAndUsername(routerId, username)) throw new ConflictError(`Subscriber ${username} already exists on that router`);
    const sameRouter = routerId === String(before.router);
    // A station stays only on its own router; on a move it must be given for the new one.
    const station = dto.station !== undefined ? dto.station : sameRouter && before.station ? String(before.station) : null;
    const building = station ? await this.stationBuilding(station, routerId) : (router.building ?? null);
    assertBuildingScope(p, building);
    const u = await this.users.relocate(before, { router: toId(routerId), username, station: station ? toId(station) : null, building: building ? toId(building) : null });
    if (!u) throw new ConflictError(`Subscriber ${before.username} changed meanwhile; read it again and retry`);
    await this.producer.add(JobName.SYNC_USER, { userId: String(u._id) });
    await this.broadcaster.topologyChanged({ reason: 'subscriber.moved', routerId, buildingId: building ? String(building) : undefined });
    return subscriberView(u);
  }

  /**
   * Writes the desired state (bumping desiredVersion) and hands it to provisioning. The job is
   * keyed by user, so several quick changes collapse into one sync that reads the latest state.
   */
  async writeDesired(id: string, dto: DesiredStateDto, p: Principal): Promise<SubscriberViewDto> {
    assertBuildingScope(p, (await this.get(id)).building);
    const patch: DesiredStatePatch = {};
    if (dto.isSuspended !== undefined) patch.isSuspended = dto.isSuspended;
    if (dto.profile !== undefined) patch.profile = dto.profile;
    if (dto.rateLimit !== undefined) patch.rateLimit = dto.rateLimit;
    if (dto.staticIp !== undefined) patch.staticIp = dto.staticIp;
    if (dto.macAddress !== undefined) patch.macAddress = normaliseMac(dto.macAddress) ?? undefined;
    if (dto.password !== undefined) patch.password = this.box.encrypt(dto.password, 'subscriber.password', id);
    if (dto.planId !== undefined) patch.planId = dto.planId === null ? null : await this.planRef(dto.planId);
    if (!Object.keys(patch).length) throw new ValidationError('Nothing to change: give at least one desired-state field');
    const u = await this.users.writeDesiredState(id, patch);
    if (!u) throw new NotFoundError('Subscriber', id);
    await this.producer.add(JobName.SYNC_USER, { userId: id });
    return subscriberView(u);
  }

  async sync(id: string): Promise<SyncStateDto> {
    return syncState(await this.get(id));
  }

  /** Re-enqueues a sync (after a router came back, or to retry an error) without changing state. */
  async resync(id: string, p: Principal): Promise<SyncStateDto> {
    const u = await this.get(id);
    assertBuildingScope(p, u.building);
    await this.producer.add(JobName.SYNC_USER, { userId: id });
    return syncState(u);
  }

  /**
   * Status from the database only (what diagnostics recorded from the routers' webhooks). The
   * old system opened a RouterOS connection per call; this never touches a router.
   */
  status(id: string): Promise<SubscriberStatusDto> {
    return readSubscriberStatus({ users: this.users, downtime: this.downtime, incidents: this.incidents }, id);
  }

  async remove(id: string, p: Principal): Promise<void> {
    const u = await this.get(id);
    assertBuildingScope(p, u.building);
    await this.users.delete(id);
    // The secret must leave the router now (a cancelled customer must not keep dialling in); a
    // syncUser job cannot, the record is gone: a router pass removes what no record owns.
    await this.producer.add(JobName.SYNC_ROUTER, { routerId: String(u.router) });
    await this.broadcaster.topologyChanged({ reason: 'subscriber.deleted', routerId: String(u.router), buildingId: u.building ? String(u.building) : undefined });
  }
}
