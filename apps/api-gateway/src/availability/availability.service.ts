import { Injectable } from '@nestjs/common';
import { InvalidRequestError, NotFoundError } from '@isp/domain';
import { InjectModel } from '@nestjs/mongoose';
import { BuildingRepository, DeviceRepository, MaintenanceWindowRepository, MikrotikRouterRepository, SubscriberRepository, TopologyUplinks, toId, USER_DOWNTIME_LOG_MODEL, windowRules, type UserDowntimeLog } from '@isp/data';
import { coveredIntervals, type Occurrence } from '@isp/domain';
import type { Model, Types } from 'mongoose';
import { availability, DowntimeTally, type DowntimeTotals } from './availability.calc';
import type { AvailabilityDto, PeriodQueryDto } from './availability.dto';
import { overlappingLogPages } from './downtime-pages';

const DAY = 24 * 3600 * 1000;
const MAX_PERIOD = 400 * DAY;

@Injectable()
export class AvailabilityService {
  constructor(
    // The model, not UserDowntimeLogRepository: see overlappingLogPages.
    @InjectModel(USER_DOWNTIME_LOG_MODEL) private readonly logs: Model<UserDowntimeLog>,
    private readonly users: SubscriberRepository,
    private readonly buildings: BuildingRepository,
    private readonly windows: MaintenanceWindowRepository,
    private readonly devices: DeviceRepository,
    private readonly routers: MikrotikRouterRepository,
  ) {}

  private period(q: PeriodQueryDto): { from: Date; to: Date } {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new InvalidRequestError('from/to must be valid dates');
    if (to <= from) throw new InvalidRequestError('`to` must be after `from`');
    if (to.getTime() - from.getTime() > MAX_PERIOD) throw new InvalidRequestError('The period may be at most 400 days');
    return { from, to };
  }

  async forSubscriber(id: string, q: PeriodQueryDto): Promise<AvailabilityDto> {
    const { from, to } = this.period(q);
    if (!(await this.users.findById(id))) throw new NotFoundError('Subscriber', id);
    const now = new Date();
    return this.figures('subscriber', id, from, to, now, 1, await this.tally({ user: toId(id) }, from, to, now));
  }

  /** Availability of a building's subscribers (its current subscribers, one share each). */
  async forBuilding(id: string, q: PeriodQueryDto): Promise<AvailabilityDto> {
    const { from, to } = this.period(q);
    if (!(await this.buildings.findById(id))) throw new NotFoundError('Building', id);
    const now = new Date();
    const [subscribers, totals] = await Promise.all([this.users.count({ building: id }), this.tally({ building: toId(id) }, from, to, now)]);
    return this.figures('building', id, from, to, now, subscribers, totals);
  }

  /**
   * Downtime of the logs overlapping [from, to), read in bounded pages (overlappingLogPages), less
   * what fell inside maintenance windows covering the subscriber (their uplinks as they are now).
   */
  private async tally(filter: { user?: Types.ObjectId; building?: Types.ObjectId }, from: Date, to: Date, now: Date): Promise<DowntimeTotals> {
    const windows = (await this.windows.findOverlapping(from, to)).map(windowRules);
    const uplinks = new TopologyUplinks({ devices: this.devices, routers: this.routers, subscribers: this.users });
    const covered = new Map<string, Occurrence[]>();
    const tally = new DowntimeTally(from, to, now, (user) => covered.get(user) ?? []);
    for await (const page of overlappingLogPages(this.logs, filter, from, to)) {
      for (const user of windows.length ? new Set(page.map((l) => String(l.user))) : []) {
        if (covered.has(user)) continue;
        await uplinks.load('subscriber', user);
        covered.set(user, coveredIntervals(user, from, to, windows, uplinks.parentsOf));
      }
      for (const l of page) tally.add({ user: String(l.user), startedAt: l.startedAt, endedAt: l.endedAt, cause: l.cause });
    }
    return tally.totals();
  }

  private figures(scope: string, id: string, from: Date, to: Date, now: Date, subscribers: number, totals: DowntimeTotals): AvailabilityDto {
    const periodSec = Math.round((Math.min(to.getTime(), now.getTime()) - from.getTime()) / 1000);
    const a = availability(totals.downtimeSec, Math.max(0, periodSec), subscribers);
    return {
      scope,
      id,
      from,
      to,
      periodSec: Math.max(0, periodSec),
      subscribers,
      downtimeSec: totals.downtimeSec,
      impactedSec: totals.impactedSec,
      maintenanceSec: totals.maintenanceSec,
      affectedSubscribers: totals.affectedUsers,
      availability: a,
      availabilityPct: Math.round(a * 100_000) / 1000,
    };
  }
}
