import type { Incident } from '@isp/data';
import { formatInZone } from '@isp/domain';
import type { TemplateVars } from '../templates/message-templates';

const TYPE_LABELS: Record<string, string> = {
  core: 'core router',
  edge: 'router',
  sector: 'sector AP',
  backhaul: 'backhaul',
  station: 'station',
  switch: 'switch',
  subscriber: 'subscriber',
  building: 'site',
};

export function rootTypeLabel(incident: Pick<Incident, 'rootCause'>): string {
  const rc = incident.rootCause;
  if (rc.kind === 'building') return 'site';
  return TYPE_LABELS[rc.type] ?? rc.type ?? rc.kind;
}

function at(d: Date | undefined, timeZone: string): string {
  return d ? formatInZone(new Date(d), timeZone) : '';
}

export function humanDuration(ms: number): string {
  const min = Math.max(0, Math.round(ms / 60000));
  if (min < 1) return 'under a minute';
  if (min < 60) return `${min}m`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h}h ${min % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** The facts a message template can use, in the words of the people who read it. */
/** `timeZone`: the reader's IANA zone; times are shown on their wall clock with the zone named (default UTC). */
export function incidentVars(incident: Incident, opts: { buildingName?: string; level: number; org: string; priority: string; timeZone?: string }): TemplateVars {
  const zone = opts.timeZone ?? 'UTC';
  const id = String(incident._id);
  const resolvedAt = incident.resolvedAt ? new Date(incident.resolvedAt) : undefined;
  return {
    org: opts.org,
    level: opts.level,
    building: opts.buildingName || incident.buildingName || (incident.rootCause.kind === 'building' ? incident.rootCause.name : 'unknown site'),
    rootName: incident.rootCause.name,
    rootType: rootTypeLabel(incident),
    stations: incident.impactedStations ?? 0,
    devices: incident.impactedDevices ?? 0,
    subscribers: incident.impactedSubscribers ?? 0,
    openedAt: at(incident.openedAt, zone),
    resolvedAt: at(resolvedAt, zone),
    duration: humanDuration((resolvedAt ?? new Date()).getTime() - new Date(incident.openedAt).getTime()),
    incidentId: id,
    shortId: id.slice(-6),
    priority: opts.priority,
    ackBy: incident.acknowledgedBy ?? '',
  };
}
