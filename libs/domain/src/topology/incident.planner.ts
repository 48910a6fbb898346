import type { IncidentChange } from '../queues/job-catalogue';
import type { IncidentLevel } from '../model/incident.types';

/**
 * What a root-cause finding means for the incidents already open: open a new one, keep (and
 * maybe resize) the one open for the same root, or re-root an older incident that the outage
 * swallowed. Pure: the diagnostics incident service reads the open incidents, asks here, and
 * applies the plan (the writes, their races and the hand-off stay there).
 */
export interface OpenIncidentView {
  id: string;
  /** Node id of the root cause. */
  rootId: string;
  level: IncidentLevel;
  escalatedLevel?: number;
  openedAt: Date;
  revision: number;
  impactedDevices: number;
  impactedSubscribers: number;
  pendingChange?: IncidentChange | null;
}

export interface FindingView {
  rootId: string;
  level: IncidentLevel;
  /** Every node below the root that is unreachable because of it. */
  impacted: readonly string[];
  impactedDevices: number;
  impactedSubscribers: number;
}

export type RootCausePlan =
  /** An incident for this root is already open: keep it (see `followUp` for what to send). */
  | { action: 'keep'; incidentId: string }
  /**
   * The outage grew upwards over older incidents: the oldest follows the new root (one thread
   * for whoever works on it), the others are merged into it. Its `openedAt` becomes the new
   * root's time (the sector outage is new, whatever the station's age). `change` is what the new
   * root's audience hears: "opened" when the level differs (a station incident becoming a sector
   * incident is news to technicians, not an unacknowledged escalation), "grown" when the same
   * tier already has this thread. Merged incidents are not recoveries: they say "merged into"
   * the re-rooted one, page nobody, and their nodes keep their state.
   */
  | { action: 'reroot'; incidentId: string; change: 'grown' | 'opened'; escalatedLevel: number; merge: string[] }
  /** Nothing open explains it: a new incident. */
  | { action: 'open' };

export function planRootCause(open: readonly OpenIncidentView[], finding: FindingView): RootCausePlan {
  const same = open.find((i) => i.rootId === finding.rootId);
  if (same) return { action: 'keep', incidentId: same.id };
  const impacted = new Set(finding.impacted);
  const [first, ...rest] = open.filter((i) => impacted.has(i.rootId)).sort((a, b) => +a.openedAt - +b.openedAt);
  if (!first) return { action: 'open' };
  return {
    action: 'reroot',
    incidentId: first.id,
    change: finding.level !== first.level ? 'opened' : 'grown',
    escalatedLevel: Math.max(finding.level, first.escalatedLevel ?? first.level),
    merge: rest.map((i) => i.id),
  };
}

/**
 * Once the incident for the finding is in hand: the change to hand off. `written` is the change
 * the plan itself just wrote (a re-root); `opened` says the incident came from the open path.
 * A size that differs from the record is a resize to write first ('grown' or 'shrunk'); a change
 * a dead replica wrote but never handed off (pendingChange) is sent now.
 */
export function followUp(
  incident: OpenIncidentView,
  finding: FindingView,
  written: IncidentChange | null,
  opened = false,
): { change: IncidentChange | null; resize: boolean } {
  if (written) return { change: written, resize: false };
  // Revision 1: "opened" not yet followed by other changes; (re)sending it is deduped by job id.
  if (opened && incident.revision === 1) return { change: 'opened', resize: false };
  if (incident.impactedDevices !== finding.impactedDevices || incident.impactedSubscribers !== finding.impactedSubscribers) {
    const bigger = finding.impactedDevices + finding.impactedSubscribers > incident.impactedDevices + incident.impactedSubscribers;
    return { change: bigger ? 'grown' : 'shrunk', resize: true };
  }
  return { change: incident.pendingChange ?? null, resize: false };
}

/** A node still marked IMPACTED, with the incident that marked it. */
export interface LeftoverView {
  id: string;
  incidentId: string | null;
}

/**
 * Resolving an incident marks only its root UP: nodes below go UP on their own evidence (an UP
 * event, or a probe). Those still IMPACTED once their incident has been resolved for `settleMs`
 * (time for their own UP events to arrive) are the ones to probe again: UP goes UP, DOWN gets its
 * own finding through the walk. A node whose incident is still open is left to it.
 */
export function leftoversToReprobe(
  nodes: readonly LeftoverView[],
  incidents: ReadonlyMap<string, { state: string; resolvedAt?: Date | null }>,
  now: Date,
  settleMs: number,
): string[] {
  return nodes
    .filter((n) => {
      const i = n.incidentId ? incidents.get(n.incidentId) : undefined;
      if (!i) return true; // unlabelled, or its incident is gone: nothing else will look at it
      if (i.state !== 'resolved') return false;
      return !i.resolvedAt || +now - +new Date(i.resolvedAt) >= settleMs;
    })
    .map((n) => n.id);
}
