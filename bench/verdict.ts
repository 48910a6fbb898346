import type { BenchResult } from './bench-context';

export type Verdict = 'met' | 'missed' | '';

/**
 * Checks a figure against its target when the target reads as a comparison: "≥ 10", "<= 50",
 * "< 100 (old system: ~1000)", "0", or "= accepted" / "= routers (4)" (another figure by name).
 * Anything else is shown as written, without a verdict.
 */
export function verdict(figures: BenchResult['figures'], name: string, target: string | undefined): Verdict {
  const value = figures[name];
  if (target === undefined || typeof value !== 'number') return '';
  const m = /^\s*(>=|≥|<=|≤|<|>|=)?\s*(-?\d+(?:\.\d+)?|[a-z_][a-z0-9_]*)/i.exec(target);
  if (!m) return '';
  const operand = /^-?\d/.test(m[2]) ? Number(m[2]) : figures[m[2]];
  if (typeof operand !== 'number') return '';
  const ok = { '>=': value >= operand, '≥': value >= operand, '<=': value <= operand, '≤': value <= operand, '<': value < operand, '>': value > operand, '=': value === operand }[m[1] ?? '='];
  return ok ? 'met' : 'missed';
}
