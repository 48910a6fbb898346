/**
 * Flap detection (issue 19, defect 7), anchored on Icinga's: a subject (subscriber, device,
 * router) whose state changes more than `maxChanges` times within `windowMs` is FLAPPING. While
 * it flaps nobody is paged per flap: one notice says so. It stops flapping after `quietMs` with
 * no change. Icinga weighs the last 21 check results against a high (30%) and a low (25%)
 * threshold; we are event-driven (a change is an event), so the same idea is a count of changes
 * in a time window, and the low threshold's hysteresis becomes the quiet period
 * (docs/decisions.md, "Flapping").
 */
export interface FlapPolicy {
  /** More changes than this within the window is flapping. */
  maxChanges: number;
  windowMs: number;
  /** How long without a change before a flapping subject is stable again. */
  quietMs: number;
}

export interface FlapObservation {
  /** Times (ms) of the subject's state changes, any order; older ones than the window are ignored. */
  changes: readonly number[];
  /** When it started flapping, if it is flapping now. */
  flappingSince: number | null;
  now: number;
}

export type FlapDecision =
  /** Not flapping, and no reason to start. */
  | { action: 'none' }
  /** Starts flapping now: one notice; look again at `checkAt` for the quiet period. */
  | { action: 'start'; since: number; changes: number; checkAt: number }
  /** Still flapping (a change within the quiet period): look again at `checkAt`. */
  | { action: 'wait'; checkAt: number }
  /** Quiet for the whole period: stable again, `quietSince` is its last change. */
  | { action: 'end'; quietSince: number };

/** What the subject's change history means now. Pure: the caller stores the history and applies the decision. */
export function judgeFlapping(policy: FlapPolicy, o: FlapObservation): FlapDecision {
  const last = o.changes.length ? Math.max(...o.changes) : null;
  if (o.flappingSince !== null) {
    // Flapping ends only after a quiet period, however few changes remain in the window
    // (Icinga's low threshold: no flapping start/stop notice per flap at the edge).
    const quietFrom = last === null ? o.flappingSince : Math.max(last, o.flappingSince);
    if (o.now - quietFrom >= policy.quietMs) return { action: 'end', quietSince: quietFrom };
    return { action: 'wait', checkAt: quietFrom + policy.quietMs };
  }
  const recent = o.changes.filter((t) => t > o.now - policy.windowMs && t <= o.now);
  if (recent.length > policy.maxChanges) return { action: 'start', since: o.now, changes: recent.length, checkAt: o.now + policy.quietMs };
  return { action: 'none' };
}

export type SubjectEventOrder = 'stale' | 'change' | 'repeat';

/**
 * Where an event stands against the last one handled for its subject, by the events' own
 * times (the router's clock when ingest believed it, within its skew allowance; else ingest's
 * receipt time). Older than the last one: stale (delivered out of order), ignored. Equal times
 * are in order: within the router clock's one-second resolution nothing tells the order, so the
 * order of arrival stands. Otherwise a change of state, or a repeat of the same state (a lease
 * renewal, a Netwatch re-fire), which flap detection does not count. A subject's first event
 * is a change only when it is a DOWN: an UP with no history is the steady state.
 */
export function orderSubjectEvent(last: { at: number; event: 'up' | 'down' } | null, at: number, event: 'up' | 'down'): SubjectEventOrder {
  if (last && at < last.at) return 'stale';
  if (last ? last.event === event : event === 'up') return 'repeat';
  return 'change';
}
