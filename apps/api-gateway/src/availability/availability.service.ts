import { Injectable } from '@nestjs/common';
import { InvalidRequestError, NotFoundError } from '@isp/domain';
import { BuildingRepository, SubscriberRepository, UserDowntimeLogRepository } from '@isp/data';
import { availability, downtimeWithin } from './availability.calc';
import type { AvailabilityDto, PeriodQueryDto } from './availability.dto';

const DAY = 24 * 3600 * 1000;
const MAX_PERIOD = 400 * DAY;

@Injectable()
export class AvailabilityService {
  constructor(
    private readonly downtime: UserDowntimeLogRepository,
    private readonly users: SubscriberRepository,
    private readonly buildings: BuildingRepository,
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
    const logs = await this.downtime.findOverlapping({ user: id }, from, to);
    return this.figures('subscriber', id, from, to, 1, logs);
  }

  /** Availability of a building's subscribers (its current subscribers, one share each). */
  async forBuilding(id: string, q: PeriodQueryDto): Promise<AvailabilityDto> {
    const { from, to } = this.period(q);
    if (!(await this.buildings.findById(id))) throw new NotFoundError('Building', id);
    const [subscribers, logs] = await Promise.all([this.users.count({ building: id }), this.downtime.findOverlapping({ building: id }, from, to)]);
    return this.figures('building', id, from, to, subscribers, logs);
  }

  private figures(scope: string, id: string, from: Date, to: Date, subscribers: number, logs: { user: unknown; startedAt: Date; endedAt?: Date | null; cause: 'self' | 'impacted' }[]): AvailabilityDto {
    const now = new Date();
    const periodSec = Math.round((Math.min(to.getTime(), now.getTime()) - from.getTime()) / 1000);
    const totals = downtimeWithin(logs.map((l) => ({ ...l, user: String(l.user) })), from, to, now);
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
      affectedSubscribers: totals.affectedUsers,
      availability: a,
      availabilityPct: Math.round(a * 100_000) / 1000,
    };
  }
}
