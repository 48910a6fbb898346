import type { Incident } from '../api/types';

export interface BoardFilter {
  /** 'active' = open or acknowledged (what needs work), or one state. */
  state: 'active' | 'open' | 'acknowledged' | 'resolved';
  level?: number;
  building?: string;
}

export function matches(i: Incident, f: BoardFilter): boolean {
  if (f.state === 'active' ? i.state === 'resolved' : i.state !== f.state) return false;
  if (f.level !== undefined && i.level !== f.level) return false;
  if (f.building && i.building !== f.building) return false;
  return true;
}

/** Newest first, as the API lists them. */
function byOpenedDesc(a: Incident, b: Incident): number {
  return Date.parse(b.openedAt) - Date.parse(a.openedAt) || b.id.localeCompare(a.id);
}

/**
 * The board after a fresh read of one incident (the feed says "incident X changed"; the console
 * reads X and folds it in). An older revision than the one shown is ignored (reads can overtake
 * each other); an incident that no longer matches the filter leaves the board; a new one joins it.
 */
export function upsertIncident(board: Incident[], incident: Incident, filter: BoardFilter): Incident[] {
  const at = board.findIndex((i) => i.id === incident.id);
  if (at >= 0 && board[at].revision > incident.revision) return board;
  const rest = at >= 0 ? [...board.slice(0, at), ...board.slice(at + 1)] : board;
  if (!matches(incident, filter)) return at >= 0 ? rest : board;
  return [...rest, incident].sort(byOpenedDesc);
}

/** The incident id a feed message is about, if it is about one. */
export function incidentIdOf(message: { type: string; data: Record<string, unknown> }): string | undefined {
  if (message.type !== 'incident') return undefined;
  const id = message.data.incidentId;
  return typeof id === 'string' && /^[0-9a-f]{24}$/i.test(id) ? id : undefined;
}

/** Query string for GET /api/v1/incidents. */
export function incidentQuery(f: BoardFilter, limit = 100): string {
  const q = new URLSearchParams({ state: f.state, limit: String(limit) });
  if (f.level !== undefined) q.set('level', String(f.level));
  if (f.building) q.set('building', f.building);
  return q.toString();
}
