import type { EvidenceHop, LiveCheckProgress } from '../api/types';

/** The hops so far, root to leaf: a slot per hop, empty until its probe answers (in any order). */
export type HopSlots = (EvidenceHop | undefined)[];

/** Puts a streamed hop in its slot; a progress message that does not fit the check is ignored. */
export function placeHop(slots: HopSlots, p: LiveCheckProgress): HopSlots {
  if (!Number.isInteger(p.total) || p.total < 1 || p.total > 64 || !Number.isInteger(p.index) || p.index < 0 || p.index >= p.total) return slots;
  const next: HopSlots = slots.length === p.total ? [...slots] : Array.from({ length: p.total }, (_, i) => slots[i]);
  next[p.index] = p.hop;
  return next;
}

/** The stream URL of a check; the ticket is single-use, never the token. */
export function liveCheckStreamUrl(kind: string, id: string, ticket: string): string {
  return `/api/v1/live-check/${encodeURIComponent(kind)}/${encodeURIComponent(id)}/stream?ticket=${encodeURIComponent(ticket)}`;
}
