/** Periods offered by the availability screen, each cut into buckets (one API read per bucket). */
export const PERIODS = {
  '24h': { label: 'Last 24 hours', ms: 24 * 3600_000, buckets: 24 },
  '7d': { label: 'Last 7 days', ms: 7 * 86400_000, buckets: 7 },
  '30d': { label: 'Last 30 days', ms: 30 * 86400_000, buckets: 30 },
} as const;
export type PeriodKey = keyof typeof PERIODS;

export interface Bucket {
  from: string;
  to: string;
}

/** `count` consecutive equal buckets ending at `end`, oldest first. */
export function bucketsEnding(end: number, periodMs: number, count: number): Bucket[] {
  if (count < 1 || periodMs <= 0) return [];
  const step = periodMs / count;
  const start = end - periodMs;
  return Array.from({ length: count }, (_, i) => ({
    from: new Date(Math.round(start + i * step)).toISOString(),
    to: new Date(Math.round(start + (i + 1) * step)).toISOString(),
  }));
}

/** uPlot's column-oriented data: x in seconds (bucket starts), y in percent. */
export function chartData(buckets: Bucket[], pcts: (number | null)[]): [number[], (number | null)[]] {
  return [buckets.map((b) => Date.parse(b.from) / 1000), pcts];
}
