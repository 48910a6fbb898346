/**
 * RouterOS durations in milliseconds. v6 writes `10ms`, v7 `1ms164us` or `27699us`; uptimes
 * look like `1w2d3h4m5s` and v6 sometimes ends them in clock form (`2d03:04:05`).
 * `parseRouterOsDuration('1ms164us') === 1.164`. Returns undefined for anything else.
 */
const UNIT_NS: Record<string, number> = {
  w: 604_800e9,
  d: 86_400e9,
  h: 3_600e9,
  m: 60e9,
  s: 1e9,
  ms: 1e6,
  us: 1e3,
  ns: 1,
};

export function parseRouterOsDuration(text: string | undefined | null): number | undefined {
  if (text === undefined || text === null) return undefined;
  let rest = text.trim();
  if (!rest) return undefined;
  let ns = 0;
  const clock = /(\d+):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(rest);
  if (clock) {
    ns += (Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3])) * 1e9;
    if (clock[4]) ns += Number(`0.${clock[4]}`) * 1e9;
    rest = rest.slice(0, clock.index);
  }
  // Fractions appear in some outputs ("1.5ms"); integers are summed exactly in nanoseconds.
  const token = /(\d+(?:\.\d+)?)(ms|us|ns|w|d|h|m|s)/y;
  while (rest.length) {
    token.lastIndex = 0;
    const m = token.exec(rest);
    if (!m) return undefined;
    ns += Number(m[1]) * UNIT_NS[m[2]];
    rest = rest.slice(m[0].length);
  }
  return ns / 1e6;
}

/** The reverse, for the simulator: v6 style (`10ms`) or v7 style (`1ms164us`). */
export function formatPingTime(ms: number, major: 6 | 7): string {
  if (major === 6) return `${Math.max(0, Math.round(ms))}ms`;
  const us = Math.max(0, Math.round(ms * 1000));
  const whole = Math.floor(us / 1000);
  const frac = us % 1000;
  if (whole === 0) return `${frac}us`;
  return frac ? `${whole}ms${frac}us` : `${whole}ms`;
}

/** Seconds as RouterOS writes an uptime: `1w2d3h4m5s` (units with zero omitted). */
export function formatUptime(totalSec: number): string {
  let s = Math.max(0, Math.floor(totalSec));
  const parts: string[] = [];
  for (const [unit, size] of [['w', 604800], ['d', 86400], ['h', 3600], ['m', 60]] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  if (s || !parts.length) parts.push(`${s}s`);
  return parts.join('');
}
