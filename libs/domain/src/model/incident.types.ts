/** An incident's tier: 1 support (one subscriber), 2 technicians (a device), 3 network admins (a router or building). */
export type IncidentLevel = 1 | 2 | 3;
export type IncidentState = 'open' | 'acknowledged' | 'resolved';
export const INCIDENT_STATES: readonly IncidentState[] = ['open', 'acknowledged', 'resolved'];
export type RootCauseKind = 'building' | 'router' | 'device' | 'subscriber';

/** Key held by an open incident (unique index), so two replicas cannot open the same one twice. */
export function openIncidentKey(kind: RootCauseKind, id: string | { toString(): string }): string {
  return `open:${kind}:${String(id)}`;
}
