import type { NodeState, Role } from '../api/types';

/**
 * Every state is shown as a word with an icon-like glyph and a colour class, so it reads the
 * same without colour (colour-blind users, a phone in sunlight, a black-and-white printout).
 */
export interface StateLabel {
  text: string;
  glyph: string;
  tone: 'ok' | 'bad' | 'warn' | 'muted';
  description: string;
}

const LABELS: Record<NodeState, StateLabel> = {
  UP: { text: 'UP', glyph: '●', tone: 'ok', description: 'answering' },
  DOWN: { text: 'DOWN', glyph: '✕', tone: 'bad', description: 'not answering; this is where the fault is' },
  IMPACTED: { text: 'IMPACTED', glyph: '▲', tone: 'warn', description: 'unreachable because something upstream is down' },
  UNKNOWN: { text: 'UNKNOWN', glyph: '?', tone: 'muted', description: 'not checked yet' },
  FLAPPING: { text: 'FLAPPING', glyph: '↯', tone: 'warn', description: 'going up and down repeatedly' },
  DEGRADED: { text: 'DEGRADED', glyph: '◐', tone: 'warn', description: 'up, but slow or losing packets' },
  SUSPENDED: { text: 'SUSPENDED', glyph: '⏸', tone: 'muted', description: 'service suspended on purpose; not an outage' },
};

export function stateLabel(state: string | undefined): StateLabel {
  return LABELS[(state ?? 'UNKNOWN') as NodeState] ?? { text: String(state), glyph: '?', tone: 'muted', description: 'state not known to this console' };
}

const INCIDENT_STATES: Record<string, StateLabel> = {
  open: { text: 'OPEN', glyph: '!', tone: 'bad', description: 'nobody has taken it yet' },
  acknowledged: { text: 'ACKNOWLEDGED', glyph: '✓', tone: 'warn', description: 'someone is on it' },
  resolved: { text: 'RESOLVED', glyph: '✔', tone: 'ok', description: 'back to normal' },
};

export function incidentStateLabel(state: string): StateLabel {
  return INCIDENT_STATES[state] ?? { text: state.toUpperCase(), glyph: '?', tone: 'muted', description: '' };
}

const SYNC: Record<string, StateLabel> = {
  synced: { text: 'SYNCED', glyph: '✔', tone: 'ok', description: 'the router has the latest desired state' },
  pending: { text: 'PENDING', glyph: '…', tone: 'warn', description: 'waiting for provisioning to apply it' },
  failed: { text: 'FAILED', glyph: '✕', tone: 'bad', description: 'provisioning could not apply it' },
};

export function syncLabel(status: string, inSync?: boolean): StateLabel {
  if (status === 'synced' && inSync === false) return SYNC.pending;
  return SYNC[status] ?? { text: status.toUpperCase(), glyph: '…', tone: 'warn', description: '' };
}

export const LEVEL_NAMES: Record<number, string> = { 1: 'Level 1 (one subscriber)', 2: 'Level 2 (site)', 3: 'Level 3 (core)' };

/** What each role may do in the console (the API enforces the same; this only hides buttons). */
export function can(role: Role | undefined, action: 'acknowledge' | 'resolve' | 'suspend'): boolean {
  const rank = ['support', 'technician', 'netadmin', 'admin'].indexOf(role ?? '');
  if (action === 'acknowledge') return rank >= 1;
  return rank >= 2;
}
