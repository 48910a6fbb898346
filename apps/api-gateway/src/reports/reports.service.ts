import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { coveredIntervals, InvalidRequestError, NotFoundError } from '@isp/domain';
import {
  BuildingRepository,
  DeviceRepository,
  INCIDENT_MODEL,
  MaintenanceWindowRepository,
  MikrotikRouterRepository,
  SubscriberRepository,
  TopologyUplinks,
  toId,
  USER_DOWNTIME_LOG_MODEL,
  windowRules,
  type Incident,
  type UserDowntimeLog,
} from '@isp/data';
import type { Model, Types } from 'mongoose';
import { availability } from '../availability/availability.calc';
import { overlappingLogPages } from '../availability/downtime-pages';
import { ApiGatewayConfig } from '../config/api-gateway.config';
import { monthBounds, monthOf, monthsBetween, type MonthBounds } from './month-range';
import { MAX_REPORT_MONTHS, type ImpactDto, type ReportScope, type SlaMonthDto, type SlaQueryDto, type SlaReportDto } from './reports.dto';
import { levelStats, minutes, SlaTally, type Interval } from './sla.calc';

/** Most incidents read for one month of one scope (a month of a building has tens). */
const MAX_INCIDENTS = 5000;

interface Subject {
  scope: ReportScope;
  id: string;
  name: string;
  subscribers: number;
  logs: { user?: Types.ObjectId; building?: Types.ObjectId; router?: Types.ObjectId };
  /** Incidents that concern the subject whatever its logs say (rooted at it, or in its building, or walked through it). */
  incidents: Record<string, unknown>[];
}

type IncidentFields = Pick<Incident, '_id' | 'level' | 'openedAt' | 'acknowledgedAt' | 'resolvedAt' | 'rootCause'>;

/**
 * SLA reports (README "SLA reports"): per month of the ISP's time zone, availability against
 * SLA_TARGET_PCT, downtime split by cause, incidents and their mean times to acknowledge and
 * resolve. Downtime is read with the availability figures' bounded paging.
 */
@Injectable()
export class ReportsService {
  constructor(
    @InjectModel(USER_DOWNTIME_LOG_MODEL) private readonly logs: Model<UserDowntimeLog>,
    @InjectModel(INCIDENT_MODEL) private readonly incidents: Model<Incident>,
    private readonly users: SubscriberRepository,
    private readonly buildings: BuildingRepository,
    private readonly routers: MikrotikRouterRepository,
    private readonly config: ApiGatewayConfig,
    private readonly windows: MaintenanceWindowRepository,
    private readonly devices: DeviceRepository,
  ) {}

  async sla(scope: ReportScope, id: string, q: SlaQueryDto, now = new Date()): Promise<SlaReportDto> {
    const zone = this.config.REPORT_TIME_ZONE;
    const months = this.months(q, monthOf(now, zone));
    const subject = { scope, id, ...(await this.subject(scope, id)) };
    const rows: SlaMonthDto[] = [];
    for (const month of months) rows.push(await this.month(subject, monthBounds(month, zone), now));
    return { scope, id, name: subject.name, timeZone: zone, targetPct: this.config.SLA_TARGET_PCT, months: rows };
  }

  private months(q: SlaQueryDto, current: string): string[] {
    const first = q.from ?? q.to ?? current;
    const last = q.to ?? first;
    if (last < first) throw new InvalidRequestError('to must not be before from');
    if (last > current) throw new InvalidRequestError(`to must not be after the current month (${current})`);
    const months = monthsBetween(first, last);
    if (months.length > MAX_REPORT_MONTHS) throw new InvalidRequestError(`from..to may span at most ${MAX_REPORT_MONTHS} months`);
    return months;
  }

  private async subject(scope: ReportScope, id: string): Promise<Omit<Subject, 'scope' | 'id'>> {
    const oid = toId(id);
    switch (scope) {
      case 'subscriber': {
        const s = await this.users.findById(id);
        if (!s) throw new NotFoundError('Subscriber', id);
        return { name: s.username, subscribers: 1, logs: { user: oid }, incidents: [{ 'rootCause.id': oid }] };
      }
      case 'building': {
        const b = await this.buildings.findById(id);
        if (!b) throw new NotFoundError('Building', id);
        return { name: b.name, subscribers: await this.users.count({ building: id }), logs: { building: oid }, incidents: [{ building: oid }, { 'rootCause.id': oid }] };
      }
      case 'router': {
        const r = await this.routers.findById(id);
        if (!r) throw new NotFoundError('Router', id);
        return { name: r.name, subscribers: await this.users.count({ router: id }), logs: { router: oid }, incidents: [{ 'rootCause.id': oid }, { 'path.id': oid }] };
      }
    }
  }

  private async month(subject: Subject, m: MonthBounds, now: Date): Promise<SlaMonthDto> {
    const tally = new SlaTally(m.from, m.to, now, await this.maintenanceWithin(subject, m));
    const logIncidents = new Set<string>();
    for await (const page of overlappingLogPages(this.logs, subject.logs, m.from, m.to)) {
      for (const l of page) {
        const incident = l.incident ? String(l.incident) : null;
        if (incident) logIncidents.add(incident);
        tally.add({ user: String(l.user), startedAt: l.startedAt, endedAt: l.endedAt, cause: l.cause, incident });
      }
    }
    const totals = tally.totals();
    const ids = [...logIncidents].map((i) => toId(i));
    const [opened, roots] = await Promise.all([
      this.incidents
        .find({ openedAt: { $gte: m.from, $lt: m.to }, $or: [...subject.incidents, { _id: { $in: ids } }] }, { level: 1, openedAt: 1, acknowledgedAt: 1, resolvedAt: 1 })
        .limit(MAX_INCIDENTS)
        .lean<IncidentFields[]>()
        .exec(),
      this.incidents.find({ _id: { $in: [...totals.impactedSec.keys()].filter(Boolean).map((i) => toId(i)) } }, { rootCause: 1 }).lean<IncidentFields[]>().exec(),
    ]);

    const periodSec = Math.max(0, Math.round((Math.min(m.to.getTime(), now.getTime()) - m.from.getTime()) / 1000));
    const pct = Math.round(availability(totals.downtimeSec, periodSec, subject.subscribers) * 100_000) / 1000;
    const impactedSec = [...totals.impactedSec.values()].reduce((a, b) => a + b, 0);
    return {
      month: m.month,
      from: m.from,
      to: m.to,
      periodMinutes: minutes(periodSec),
      subscribers: subject.subscribers,
      downtimeMinutes: minutes(totals.downtimeSec),
      ownMinutes: minutes(totals.ownSec),
      impactedMinutes: minutes(impactedSec),
      impactedBy: byRoot(totals.impactedSec, roots),
      maintenanceMinutes: minutes(totals.maintenanceSec),
      affectedSubscribers: totals.affectedUsers,
      availabilityPct: pct,
      targetPct: this.config.SLA_TARGET_PCT,
      met: pct >= this.config.SLA_TARGET_PCT,
      incidents: opened.length,
      levels: levelStats(opened).map((l) => ({ level: l.level, incidents: l.incidents, mttaMinutes: l.mttaSec === null ? null : minutes(l.mttaSec), mttrMinutes: l.mttrSec === null ? null : minutes(l.mttrSec) })),
    };
  }

  /**
   * When the subject was inside maintenance during the month: windows on it or on a node above it
   * (for a subscriber, its station, sector, router and building). Their time is taken out of the
   * downtime by SlaTally and reported as maintenanceMinutes. One set of intervals for the whole
   * subject: a building's or router's report leaves out windows on single sectors below it (the
   * availability figures apply those per subscriber).
   */
  private async maintenanceWithin(subject: Subject, m: MonthBounds): Promise<Interval[]> {
    const windows = (await this.windows.findOverlapping(m.from, m.to)).map(windowRules);
    if (!windows.length) return [];
    const uplinks = new TopologyUplinks({ devices: this.devices, routers: this.routers, subscribers: this.users });
    await uplinks.load(subject.scope, subject.id);
    return coveredIntervals(subject.id, m.from, m.to, windows, uplinks.parentsOf);
  }
}

/** Impacted seconds per incident, summed per root cause (several incidents can share a root). */
function byRoot(perIncident: Map<string, number>, incidents: IncidentFields[]): ImpactDto[] {
  const rootOf = new Map(incidents.map((i) => [String(i._id), i.rootCause]));
  const out = new Map<string, { dto: ImpactDto; sec: number }>();
  for (const [incident, sec] of perIncident) {
    const root = rootOf.get(incident);
    const key = root ? `${root.kind}:${String(root.id)}` : 'unknown';
    const entry = out.get(key) ?? {
      dto: { root: root ? { kind: root.kind, id: String(root.id), name: root.name, type: root.type } : { kind: 'unknown', id: null, name: 'unknown', type: '' }, incidents: 0, minutes: 0 },
      sec: 0,
    };
    entry.dto.incidents++;
    entry.sec += sec;
    out.set(key, entry);
  }
  return [...out.values()].map((e) => ({ ...e.dto, minutes: minutes(e.sec) })).sort((a, b) => b.minutes - a.minutes);
}
