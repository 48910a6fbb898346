import type { DowntimeSpan } from '../availability/availability.calc';

/** A downtime log as the SLA report reads it: the availability span plus the incident it belongs to. */
export interface SlaSpan extends DowntimeSpan {
  incident?: string | null;
}

/** A span of time excluded from downtime (a maintenance window, once they exist). */
export interface Interval {
  start: Date;
  end: Date;
}

export interface SlaTotals {
  /** Subscriber-seconds of downtime in the period, maintenance excluded. */
  downtimeSec: number;
  /** Down on its own (cause = self). */
  ownSec: number;
  /** Down because of an upstream outage, by incident id ('' when the log names none). */
  impactedSec: Map<string, number>;
  /** Subscriber-seconds down inside maintenance windows: reported, not counted as downtime. */
  maintenanceSec: number;
  affectedUsers: number;
}

/**
 * DowntimeTally's rules (spans fed user by user, clipped to [from, min(to, now)), overlapping
 * logs of a user counted once, the earlier log keeping the overlap), with each second put to
 * its cause: the subscriber's own fault, or the incident that took it down. Time inside a
 * maintenance interval is taken out of the downtime and counted as maintenance instead.
 */
export class SlaTally {
  private readonly start: number;
  private readonly end: number;
  private readonly maintenance: { s: number; e: number }[];
  private user?: string;
  private spans: { s: number; e: number; key: string | null }[] = [];
  private own = 0;
  private maint = 0;
  private users = 0;
  private readonly impacted = new Map<string, number>();

  constructor(from: Date, to: Date, now: Date, maintenance: Interval[] = []) {
    this.start = from.getTime();
    this.end = Math.min(to.getTime(), now.getTime());
    this.maintenance = maintenance.map((m) => ({ s: m.start.getTime(), e: m.end.getTime() })).sort((a, b) => a.s - b.s);
  }

  add(span: SlaSpan): void {
    const s = Math.max(new Date(span.startedAt).getTime(), this.start);
    const e = Math.min(span.endedAt ? new Date(span.endedAt).getTime() : this.end, this.end);
    if (e <= s) return;
    if (span.user !== this.user) {
      this.flush();
      this.user = span.user;
    }
    // null: own fault; otherwise the incident id ('' for an impacted log that names none).
    this.spans.push({ s, e, key: span.cause === 'impacted' ? (span.incident ?? '') : null });
  }

  totals(): SlaTotals {
    this.flush();
    const sec = (ms: number) => Math.round(ms / 1000);
    const impactedSec = new Map([...this.impacted].map(([k, ms]) => [k, sec(ms)]));
    const impactedTotal = [...impactedSec.values()].reduce((a, b) => a + b, 0);
    return { downtimeSec: sec(this.own) + impactedTotal, ownSec: sec(this.own), impactedSec, maintenanceSec: sec(this.maint), affectedUsers: this.users };
  }

  private flush(): void {
    if (!this.spans.length) return;
    this.spans.sort((a, b) => a.s - b.s);
    let cursor = -Infinity;
    for (const iv of this.spans) {
      const s = Math.max(iv.s, cursor);
      if (iv.e <= s) continue;
      const inMaintenance = this.overlap(s, iv.e);
      const down = iv.e - s - inMaintenance;
      this.maint += inMaintenance;
      if (iv.key === null) this.own += down;
      else this.impacted.set(iv.key, (this.impacted.get(iv.key) ?? 0) + down);
      cursor = iv.e;
    }
    this.users++;
    this.spans = [];
  }

  /** Milliseconds of [s, e) inside maintenance intervals (which may overlap each other). */
  private overlap(s: number, e: number): number {
    let total = 0;
    let cursor = s;
    for (const m of this.maintenance) {
      const ms = Math.max(m.s, cursor);
      const me = Math.min(m.e, e);
      if (me > ms) {
        total += me - ms;
        cursor = me;
      }
    }
    return total;
  }
}

export interface IncidentTimes {
  level: number;
  openedAt: Date;
  acknowledgedAt?: Date | null;
  resolvedAt?: Date | null;
}

export interface LevelStats {
  level: number;
  incidents: number;
  /** Mean time from opening to acknowledgement, over the acknowledged ones; null when none was. */
  mttaSec: number | null;
  /** Mean time from opening to resolution, over the resolved ones; null when none was. */
  mttrSec: number | null;
}

/** Incident count and mean times to acknowledge and resolve, per level (1, 2, 3). */
export function levelStats(incidents: IncidentTimes[]): LevelStats[] {
  const mean = (xs: number[]) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length / 1000) : null);
  return [1, 2, 3].map((level) => {
    const of = incidents.filter((i) => i.level === level);
    const since = (i: IncidentTimes, at: Date | null | undefined) => (at ? [new Date(at).getTime() - new Date(i.openedAt).getTime()] : []);
    return { level, incidents: of.length, mttaSec: mean(of.flatMap((i) => since(i, i.acknowledgedAt))), mttrSec: mean(of.flatMap((i) => since(i, i.resolvedAt))) };
  });
}

/** Seconds to minutes, two decimals. */
export function minutes(sec: number): number {
  return Math.round((sec / 60) * 100) / 100;
}
