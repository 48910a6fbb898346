/**
 * Maintenance windows (Icinga's downtimes, Alertmanager's silences): while a node is inside one,
 * diagnosis still runs and records, but nobody is paged for it or for anything below it. Pure:
 * the windows and the upward topology are handed in, so the rules test on their own.
 */
export const MAINTENANCE_TARGET_KINDS = ['building', 'router', 'device', 'subscriber'] as const;
export type MaintenanceTargetKind = (typeof MAINTENANCE_TARGET_KINDS)[number];
export const MAINTENANCE_RECURRENCES = ['none', 'weekly'] as const;
export type MaintenanceRecurrence = (typeof MAINTENANCE_RECURRENCES)[number];

export const WEEK_MS = 7 * 24 * 3600_000;

/** What the rules need of a window. */
export interface MaintenanceWindowLike {
  id: string;
  targetId: string;
  startsAt: Date;
  endsAt: Date;
  recurrence?: MaintenanceRecurrence | null;
  /** Ended early: no occurrence reaches past this (for a weekly window, none starts after it either). */
  endedAt?: Date | null;
}

export interface Occurrence {
  start: Date;
  end: Date;
}

/** The window's length must be positive, and a weekly one shorter than a week (occurrences must not overlap). */
export function maintenanceWindowProblem(w: Pick<MaintenanceWindowLike, 'startsAt' | 'endsAt' | 'recurrence'>): string | null {
  const len = w.endsAt.getTime() - w.startsAt.getTime();
  if (!(len > 0)) return 'endsAt must be after startsAt';
  if (w.recurrence === 'weekly' && len >= WEEK_MS) return 'endsAt must be less than a week after startsAt for a weekly window';
  return null;
}

/** The occurrence that contains `at`, if any (start inclusive, end exclusive). */
export function occurrenceAt(w: MaintenanceWindowLike, at: Date): Occurrence | null {
  const t = at.getTime();
  const start = w.startsAt.getTime();
  const len = w.endsAt.getTime() - start;
  if (len <= 0 || t < start) return null;
  const k = w.recurrence === 'weekly' ? Math.floor((t - start) / WEEK_MS) : 0;
  const s = start + k * WEEK_MS;
  const ended = w.endedAt ? w.endedAt.getTime() : Infinity;
  const e = Math.min(s + len, ended);
  if (t >= s && t < e) return { start: new Date(s), end: new Date(e) };
  return null;
}

/** The occurrence running at `at`, or else the next one to start; null when the window is over. */
export function currentOrNextOccurrence(w: MaintenanceWindowLike, at: Date): Occurrence | null {
  const now = occurrenceAt(w, at);
  if (now) return now;
  const t = at.getTime();
  const start = w.startsAt.getTime();
  const len = w.endsAt.getTime() - start;
  if (len <= 0) return null;
  let s = start;
  if (t >= start) {
    if (w.recurrence !== 'weekly') return null;
    s = start + (Math.floor((t - start) / WEEK_MS) + 1) * WEEK_MS;
  }
  const ended = w.endedAt ? w.endedAt.getTime() : Infinity;
  if (s >= ended) return null;
  return { start: new Date(s), end: new Date(Math.min(s + len, ended)) };
}

export function isWindowActive(w: MaintenanceWindowLike, at: Date): boolean {
  return occurrenceAt(w, at) !== null;
}

/** A window with no occurrence left from `at` on. */
export function isWindowOver(w: MaintenanceWindowLike, at: Date): boolean {
  return currentOrNextOccurrence(w, at) === null;
}

export interface MaintenanceCoverage {
  covered: boolean;
  /** The windows that cover it (its own, or those of the ancestors it inherits from). */
  windowIds: string[];
  /** When the coverage ends at the earliest, if nothing changes (null when not covered). */
  until: Date | null;
}

const NOT_COVERED: MaintenanceCoverage = { covered: false, windowIds: [], until: null };

/**
 * Whether the node is inside maintenance at `at`. A node is covered by its own active windows,
 * or by its parents' when it has some and every one of them is covered: a window on a building
 * covers its routers, their sectors, stations and subscribers; a node with redundant uplinks is
 * covered only when all of them are (one uplink in maintenance, the other still carrying traffic,
 * is no reason to keep quiet). `parentsOf` gives every uplink, primary first (TopologyGraph's
 * `parents`); a cycle in it covers nothing.
 */
export function maintenanceCoverage(nodeId: string, at: Date, windows: readonly MaintenanceWindowLike[], parentsOf: (id: string) => readonly string[]): MaintenanceCoverage {
  const byTarget = new Map<string, MaintenanceWindowLike[]>();
  for (const w of windows) {
    const occ = occurrenceAt(w, at);
    if (!occ) continue;
    byTarget.set(w.targetId, [...(byTarget.get(w.targetId) ?? []), w]);
  }
  if (!byTarget.size) return NOT_COVERED;
  const memo = new Map<string, MaintenanceCoverage>();
  const visiting = new Set<string>();

  const cover = (id: string): MaintenanceCoverage => {
    const known = memo.get(id);
    if (known) return known;
    if (visiting.has(id)) return NOT_COVERED;
    visiting.add(id);
    const own = byTarget.get(id) ?? [];
    const ownUntil = own.length ? Math.max(...own.map((w) => occurrenceAt(w, at)!.end.getTime())) : null;
    const parents = parentsOf(id);
    const inherited = parents.length ? parents.map(cover) : [];
    const allParents = inherited.length > 0 && inherited.every((c) => c.covered);
    // Inherited coverage lasts while every uplink stays covered: until the first of them ends.
    const inheritedUntil = allParents ? Math.min(...inherited.map((c) => c.until!.getTime())) : null;
    visiting.delete(id);
    let result: MaintenanceCoverage;
    if (ownUntil === null && inheritedUntil === null) result = NOT_COVERED;
    else {
      const ids = [...own.map((w) => w.id), ...(allParents ? inherited.flatMap((c) => c.windowIds) : [])];
      result = { covered: true, windowIds: [...new Set(ids)], until: new Date(Math.max(ownUntil ?? -Infinity, inheritedUntil ?? -Infinity)) };
    }
    memo.set(id, result);
    return result;
  };
  return cover(nodeId);
}

/** The occurrences of a window that overlap [from, to), in order. */
export function occurrencesBetween(w: MaintenanceWindowLike, from: Date, to: Date): Occurrence[] {
  const out: Occurrence[] = [];
  for (let occ = currentOrNextOccurrence(w, from); occ && occ.start < to; occ = currentOrNextOccurrence(w, occ.end)) {
    out.push(occ);
    if (w.recurrence !== 'weekly') break;
  }
  return out;
}

/**
 * When the node was inside maintenance within [from, to), as disjoint intervals in order. Coverage
 * only changes where an occurrence starts or ends, so it is decided once per stretch between
 * those instants (availability subtracts these from a subscriber's downtime).
 */
export function coveredIntervals(nodeId: string, from: Date, to: Date, windows: readonly MaintenanceWindowLike[], parentsOf: (id: string) => readonly string[]): Occurrence[] {
  const cuts = new Set<number>([from.getTime(), to.getTime()]);
  for (const w of windows) {
    for (const occ of occurrencesBetween(w, from, to)) {
      for (const t of [occ.start.getTime(), occ.end.getTime()]) if (t > from.getTime() && t < to.getTime()) cuts.add(t);
    }
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Occurrence[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    if (!maintenanceCoverage(nodeId, new Date(points[i]), windows, parentsOf).covered) continue;
    const last = out[out.length - 1];
    if (last && last.end.getTime() === points[i]) last.end = new Date(points[i + 1]);
    else out.push({ start: new Date(points[i]), end: new Date(points[i + 1]) });
  }
  return out;
}
