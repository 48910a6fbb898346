import type { EvidenceHop } from '../api/types';

/** "3 h 12 min", "45 s": durations for people in a hurry. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m ? `${h} h ${m} min` : `${h} h`;
  return `${m} min`;
}

/** Time since an ISO instant, relative to `now`. */
export function since(iso: string | undefined, now: number = Date.now()): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  return `${formatDuration(Math.max(0, (now - t) / 1000))} ago`;
}

/** A local date-time without seconds, e.g. "2026-12-02 14:05". */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The evidence path as operators say it: "core-tn [UP] 1 ms -> sector-b [DOWN]". */
export function evidencePath(hops: EvidenceHop[]): string {
  return hops.map((h) => `${h.name} [${h.state}]${typeof h.rttMs === 'number' ? ` ${formatRtt(h.rttMs)}` : ''}`).join(' -> ');
}

export function formatRtt(ms: number | undefined): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '';
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** "99.952 %": availability with the precision the API gives. */
export function formatPct(pct: number | undefined): string {
  if (typeof pct !== 'number' || !Number.isFinite(pct)) return '—';
  return `${pct.toFixed(3)} %`;
}
