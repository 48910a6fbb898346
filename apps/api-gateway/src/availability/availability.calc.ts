/** A downtime interval as stored: open logs have no end yet. */
export interface DowntimeSpan {
  user: string;
  startedAt: Date;
  endedAt?: Date | null;
  cause: 'self' | 'impacted';
}

export interface DowntimeTotals {
  /** Seconds of downtime inside the period, overlapping logs of one user counted once. */
  downtimeSec: number;
  /** Part of it caused by an upstream outage (cause = impacted). */
  impactedSec: number;
  /** Users with any downtime in the period. */
  affectedUsers: number;
  /** Downtime inside maintenance windows: reported here, left out of `downtimeSec` and `impactedSec`. */
  maintenanceSec: number;
}

/** When a user was inside maintenance (disjoint intervals, in order; libs/domain coveredIntervals). */
export type MaintenanceOf = (user: string) => readonly { start: Date; end: Date }[];

/**
 * Sums downtime clipped to [from, to) from spans fed in order of user (then any order within a
 * user): only the current user's intervals are held, so a building's year of logs can be read
 * page by page from the database without holding them all. Open logs run until `now` (or `to`
 * if earlier). Logs of the same user that overlap (there should be none, but retries and
 * migrations happen) count once.
 */
export class DowntimeTally {
  private readonly end: number;
  private user?: string;
  private spans: { s: number; e: number; impacted: boolean }[] = [];
  private total = 0;
  private impacted = 0;
  private maintenance = 0;
  private users = 0;

  constructor(
    private readonly from: Date,
    to: Date,
    now = new Date(),
    private readonly maintenanceOf: MaintenanceOf = () => [],
  ) {
    this.end = Math.min(to.getTime(), now.getTime());
  }

  add(span: DowntimeSpan): void {
    const s = Math.max(new Date(span.startedAt).getTime(), this.from.getTime());
    const e = Math.min(span.endedAt ? new Date(span.endedAt).getTime() : this.end, this.end);
    if (e <= s) return;
    if (span.user !== this.user) {
      this.flush();
      this.user = span.user;
    }
    this.spans.push({ s, e, impacted: span.cause === 'impacted' });
  }

  totals(): DowntimeTotals {
    this.flush();
    return { downtimeSec: Math.round(this.total / 1000), impactedSec: Math.round(this.impacted / 1000), affectedUsers: this.users, maintenanceSec: Math.round(this.maintenance / 1000) };
  }

  private flush(): void {
    if (!this.spans.length) return;
    this.spans.sort((a, b) => a.s - b.s);
    const maintenance = this.maintenanceOf(this.user!);
    let cursor = -Infinity;
    for (const iv of this.spans) {
      const s = Math.max(iv.s, cursor);
      if (iv.e > s) {
        const inMaintenance = maintenance.reduce((sum, m) => sum + Math.max(0, Math.min(iv.e, m.end.getTime()) - Math.max(s, m.start.getTime())), 0);
        this.maintenance += inMaintenance;
        this.total += iv.e - s - inMaintenance;
        if (iv.impacted) this.impacted += iv.e - s - inMaintenance;
        cursor = iv.e;
      }
    }
    this.users++;
    this.spans = [];
  }
}

/** DowntimeTally over spans in any order. */
export function downtimeWithin(spans: DowntimeSpan[], from: Date, to: Date, now = new Date(), maintenanceOf?: MaintenanceOf): DowntimeTotals {
  const tally = new DowntimeTally(from, to, now, maintenanceOf);
  for (const span of [...spans].sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0))) tally.add(span);
  return tally.totals();
}

/** Availability as a fraction (0..1) of `subscribers` × period; 1 when there is nobody to count. */
export function availability(downtimeSec: number, periodSec: number, subscribers = 1): number {
  const denominator = periodSec * subscribers;
  if (denominator <= 0) return 1;
  return Math.max(0, Math.min(1, 1 - downtimeSec / denominator));
}
