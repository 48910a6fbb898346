import type { IncidentLevel, RootCauseKind } from '../model/incident.types';
import { ValidationError } from '../errors/domain-errors';

/** Channels that reach a person (the dashboard feed is not a page). */
export type PageChannel = 'sms' | 'email' | 'chat' | 'telegram' | 'whatsapp' | 'teams';
export const PAGE_CHANNELS: readonly PageChannel[] = ['sms', 'email', 'chat', 'telegram', 'whatsapp', 'teams'];

/** Channels whose address is a credential (a webhook URL): records name the contact, the URL is read at send time. */
export const SECRET_ADDRESS_CHANNELS: readonly PageChannel[] = ['chat', 'teams'];

/**
 * One routing rule. Rules are tried in order; the first whose `match` fits the incident decides.
 * `match.levels` is compared with the incident's effective level (its escalated level when it
 * has been escalated), so an escalation reaches the next tier's people.
 */
export interface AlertRule {
  name: string;
  match: {
    levels?: IncidentLevel[];
    rootCauseKinds?: RootCauseKind[];
    /** router role or device type ("core", "sector", "backhaul", "station"...), or "subscriber" */
    rootCauseTypes?: string[];
  };
  /** Who is paged; null = nobody (dashboard only). */
  page: null | {
    contactLevel: 1 | 2 | 3;
    /**
     * 'all': every active contact of that level. 'building': those whose scope covers the
     * incident's building (an empty scope covers every building); when nobody covers it, all of
     * that level, so an unscoped building is never left without a page.
     */
    scope: 'all' | 'building';
    channels: PageChannel[];
    priority: 'high' | 'normal';
    /**
     * Skip contacts outside their on-duty hours; when that would leave nobody, everyone in scope
     * is paged anyway (a page must not vanish because of a roster gap).
     */
    respectOnDuty: boolean;
  };
  /** Publish on the dashboard feed. */
  dashboard: boolean;
  /**
   * Seconds without acknowledgement before the incident goes to the next level. Absent: the
   * notifier's configured default; null: never escalate.
   */
  escalateAfterSec?: number | null;
}

export interface RoutingRules {
  rules: AlertRule[];
}

/** The defaults say exactly what DESIGN.md section 4 says. */
export const DEFAULT_ROUTING_RULES: RoutingRules = {
  rules: [
    {
      // A router alive (webhooks arrive) whose API does not answer: a monitoring problem, not an outage.
      name: 'monitoring-degraded: network admins, normal priority, never escalated',
      match: { rootCauseTypes: ['monitoring-degraded'] },
      page: { contactLevel: 3, scope: 'all', channels: ['email', 'chat'], priority: 'normal', respectOnDuty: true },
      dashboard: true,
      escalateAfterSec: null,
    },
    {
      // No webhook and no API answer for ROUTER_SILENT_AFTER_MS: its monitoring cannot be believed.
      name: 'router-silent: network admins, normal priority, never escalated',
      match: { rootCauseTypes: ['router-silent'] },
      page: { contactLevel: 3, scope: 'all', channels: ['email', 'chat'], priority: 'normal', respectOnDuty: true },
      dashboard: true,
      escalateAfterSec: null,
    },
    {
      // One uplink of a redundant pair down, the other carrying the traffic: nobody is cut off.
      name: 'redundancy-lost: technicians in scope, normal priority, never escalated',
      match: { rootCauseTypes: ['redundancy-lost'] },
      page: { contactLevel: 2, scope: 'building', channels: ['email', 'chat'], priority: 'normal', respectOnDuty: true },
      dashboard: true,
      escalateAfterSec: null,
    },
    {
      name: 'level-3-core-or-building: network admins by SMS, high priority',
      match: { levels: [3] },
      page: { contactLevel: 3, scope: 'all', channels: ['sms', 'email', 'chat'], priority: 'high', respectOnDuty: true },
      dashboard: true,
    },
    {
      name: 'level-2-sector-or-backhaul: technicians in scope of the building',
      match: { levels: [2] },
      page: { contactLevel: 2, scope: 'building', channels: ['sms', 'email', 'chat'], priority: 'normal', respectOnDuty: true },
      dashboard: true,
    },
    {
      name: 'level-1-station-or-subscriber: dashboard feed only',
      match: { levels: [1] },
      page: null,
      dashboard: true,
      // A single station or subscriber left unacknowledged must not page technicians: support
      // works these from the dashboard. A rules file can turn escalation back on.
      escalateAfterSec: null,
    },
  ],
};

const LEVELS = [1, 2, 3];
const KINDS: readonly RootCauseKind[] = ['building', 'router', 'device', 'subscriber'];

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/**
 * Checks a rules document (parsed from the JSON/YAML file named in config) and returns it typed.
 * Every problem is listed in one error, so a bad file is fixed in one go.
 */
export function validateRoutingRules(input: unknown): RoutingRules {
  const problems: string[] = [];
  const doc = input as { rules?: unknown };
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.rules) || doc.rules.length === 0) {
    throw new ValidationError('routing rules: expected an object with a non-empty "rules" list');
  }
  doc.rules.forEach((raw: unknown, i: number) => {
    const at = `rules[${i}]`;
    const r = raw as Partial<Record<keyof AlertRule, unknown>>;
    if (!r || typeof r !== 'object') return void problems.push(`${at}: expected an object`);
    if (typeof r.name !== 'string' || !r.name) problems.push(`${at}.name: required string`);
    const m = r.match as AlertRule['match'] | undefined;
    if (!m || typeof m !== 'object') problems.push(`${at}.match: required object (may be empty: matches everything)`);
    else {
      if (m.levels !== undefined && (!Array.isArray(m.levels) || m.levels.some((l) => !LEVELS.includes(l)))) problems.push(`${at}.match.levels: list of 1, 2, 3`);
      if (m.rootCauseKinds !== undefined && (!isStringArray(m.rootCauseKinds) || m.rootCauseKinds.some((k) => !KINDS.includes(k))))
        problems.push(`${at}.match.rootCauseKinds: list of ${KINDS.join(', ')}`);
      if (m.rootCauseTypes !== undefined && !isStringArray(m.rootCauseTypes)) problems.push(`${at}.match.rootCauseTypes: list of strings`);
    }
    if (r.page !== null) {
      const p = r.page as Partial<NonNullable<AlertRule['page']>> | undefined;
      if (!p || typeof p !== 'object') problems.push(`${at}.page: object or null (null = dashboard only)`);
      else {
        if (!LEVELS.includes(p.contactLevel as number)) problems.push(`${at}.page.contactLevel: 1, 2 or 3`);
        if (p.scope !== 'all' && p.scope !== 'building') problems.push(`${at}.page.scope: "all" or "building"`);
        if (!isStringArray(p.channels) || !p.channels.length || p.channels.some((c) => !PAGE_CHANNELS.includes(c as PageChannel)))
          problems.push(`${at}.page.channels: non-empty list of ${PAGE_CHANNELS.join(', ')}`);
        if (p.priority !== 'high' && p.priority !== 'normal') problems.push(`${at}.page.priority: "high" or "normal"`);
        if (p.respectOnDuty !== undefined && typeof p.respectOnDuty !== 'boolean') problems.push(`${at}.page.respectOnDuty: boolean`);
      }
    }
    if (r.dashboard !== undefined && typeof r.dashboard !== 'boolean') problems.push(`${at}.dashboard: boolean`);
    if (r.escalateAfterSec !== undefined && r.escalateAfterSec !== null && (typeof r.escalateAfterSec !== 'number' || r.escalateAfterSec < 0))
      problems.push(`${at}.escalateAfterSec: seconds (>= 0) or null (never)`);
  });
  if (problems.length) throw new ValidationError(`routing rules: ${problems.join('; ')}`);
  return {
    rules: (doc.rules as AlertRule[]).map((r) => ({
      ...r,
      page: r.page ? { ...r.page, respectOnDuty: r.page.respectOnDuty ?? true } : null,
      dashboard: r.dashboard ?? true,
    })),
  };
}
