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
}

/**
 * Sums downtime clipped to [from, to). Open logs run until `now` (or `to` if earlier). Logs of the
 * same user that overlap (there should be none, but retries and migrations happen) count once.
 */
export function downtimeWithin(spans: DowntimeSpan[], from: Date, to: Date, now = new Date()): DowntimeTotals {
  const end = Math.min(to.getTime(), now.getTime());
  const byUser = new Map<string, { s: number; e: number; impacted: boolean }[]>();
  for (const span of spans) {
    const s = Math.max(new Date(span.startedAt).getTime(), from.getTime());
    const e = Math.min(span.endedAt ? new Date(span.endedAt).getTime() : end, end);
    if (e <= s) continue;
    const list = byUser.get(span.user) ?? [];
    list.push({ s, e, impacted: span.cause === 'impacted' });
    byUser.set(span.user, list);
  }
  let total = 0;
  let impacted = 0;
  for (const list of byUser.values()) {
    list.sort((a, b) => a.s - b.s);
    let cursor = -Infinity;
    for (const iv of list) {
      const s = Math.max(iv.s, cursor);
      if (iv.e > s) {
        total += iv.e - s;
        if (iv.impacted) impacted += iv.e - s;
        cursor = iv.e;
      }
    }
  }
  return { downtimeSec: Math.round(total / 1000), impactedSec: Math.round(impacted / 1000), affectedUsers: byUser.size };
}

/** Availability as a fraction (0..1) of `subscribers` × period; 1 when there is nobody to count. */
export function availability(downtimeSec: number, periodSec: number, subscribers = 1): number {
  const denominator = periodSec * subscribers;
  if (denominator <= 0) return 1;
  return Math.max(0, Math.min(1, 1 - downtimeSec / denominator));
}
