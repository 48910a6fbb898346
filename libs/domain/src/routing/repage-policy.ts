import type { IncidentLevel, IncidentState } from '../model/incident.types';

/** What an outage takes with it, counted apart: customer stations, infrastructure devices (and routers), subscribers. */
export interface ImpactFigures {
  stations: number;
  devices: number;
  subscribers: number;
}

/** One number to compare impacts by: everything the outage took with it. */
export function impactSize(i: ImpactFigures): number {
  return (i.stations ?? 0) + (i.devices ?? 0) + (i.subscribers ?? 0);
}

export interface RepageInput {
  state: IncidentState;
  /** The incident's effective level now. */
  level: IncidentLevel;
  /** Highest level anyone was paged at for this incident; null when nobody has been. */
  pagedLevel: number | null;
  /** Impact size carried by the last page sent. */
  pagedImpact: number;
  /** Impact size now. */
  impact: number;
  /** A growth is news when impact reaches this multiple of the last paged one (2 = doubling). */
  factor: number;
}

export interface RepageDecision {
  page: boolean;
  reason: string;
}

/**
 * Whether a change of an incident is worth a new page. People are woken for what changes their
 * picture: the incident moved to a level they had not heard at, or it grew by a step (e.g. doubled)
 * since the last page. An acknowledged incident has somebody on it: its changes go to the feed
 * and the timeline only. Small growth is feed-only too, however often it happens.
 */
export function decideRepage(i: RepageInput): RepageDecision {
  if (i.state !== 'open') return { page: false, reason: `incident ${i.state}: feed only` };
  if (i.pagedLevel === null) return { page: true, reason: 'nobody paged yet' };
  if (i.level > i.pagedLevel) return { page: true, reason: `level ${i.pagedLevel} -> ${i.level}` };
  const threshold = Math.max(1, i.pagedImpact) * i.factor;
  if (i.impact >= threshold) return { page: true, reason: `impact ${i.pagedImpact} -> ${i.impact} (step x${i.factor})` };
  return { page: false, reason: `impact ${i.pagedImpact} -> ${i.impact} below the next step (${Math.ceil(threshold)})` };
}
