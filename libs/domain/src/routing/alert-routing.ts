import type { IncidentLevel, RootCauseKind } from '../model/incident.types';
import type { NotificationKind } from '../model/notification.types';
import { SECRET_ADDRESS_CHANNELS, type AlertRule, type PageChannel, type RoutingRules } from './alert-rules';
import type { OnDutyWindow } from '../model/contact.types';
import { isOnDuty } from './on-duty';

/** What routing needs to know about an incident (ids as strings: pure code, no ObjectIds). */
export interface AlertIncident {
  level: IncidentLevel;
  /** Level it has been escalated to; routing uses it when higher than `level`. */
  escalatedLevel?: number | null;
  building?: string | null;
  rootCause: { kind: RootCauseKind; type: string };
}

export interface AlertContact {
  id: string;
  name: string;
  level: 1 | 2 | 3;
  phone?: string | null;
  email?: string | null;
  chatWebhook?: string | null;
  /** Telegram chat id (numeric, negative for groups) or @channel username. */
  telegramChatId?: string | null;
  /** WhatsApp number, E.164. */
  whatsapp?: string | null;
  /** Microsoft Teams Workflows webhook URL. */
  teamsWebhook?: string | null;
  /** Buildings covered; empty covers all. */
  buildings: string[];
  onDuty?: OnDutyWindow | null;
  active?: boolean;
}

export interface PlannedPage {
  contactId: string;
  contactName: string;
  channel: PageChannel;
  /** Phone number, e-mail address, chat id or webhook URL. */
  address: string;
  priority: 'high' | 'normal';
}

export interface AlertPlan {
  /** The rule that decided; null when none matched (nothing is sent then, not even the feed). */
  rule: AlertRule | null;
  level: IncidentLevel;
  dashboard: boolean;
  pages: PlannedPage[];
  /** Seconds until escalation (null: never); undefined when the rule leaves it to the default. */
  escalateAfterSec?: number | null;
  /** Why the plan looks as it does (for logs): fallbacks taken, contacts skipped. */
  notes: string[];
  /**
   * Contacts the rule chose who cannot be reached: no address on any enabled channel of the rule.
   * A warning, kept in the incident's record of who was told.
   */
  dropped: DroppedContact[];
  /**
   * Nobody in the building's scope can be reached at this level (below 3): the incident must go to
   * the next level now instead of waiting for the escalation timer with nobody paged.
   */
  escalateNow: boolean;
}

export interface DroppedContact {
  contactId: string;
  contactName: string;
  /** The first channel the rule wanted (where the record is filed). */
  channel: PageChannel;
  reason: string;
}

export function effectiveLevel(incident: Pick<AlertIncident, 'level' | 'escalatedLevel'>): IncidentLevel {
  const e = incident.escalatedLevel ?? 0;
  return (e > incident.level ? Math.min(3, e) : incident.level) as IncidentLevel;
}

export function matchRule(rules: RoutingRules, incident: AlertIncident, level: IncidentLevel): AlertRule | null {
  return (
    rules.rules.find(({ match: m }) => {
      if (m.levels && !m.levels.includes(level)) return false;
      if (m.rootCauseKinds && !m.rootCauseKinds.includes(incident.rootCause.kind)) return false;
      if (m.rootCauseTypes && !m.rootCauseTypes.includes(incident.rootCause.type)) return false;
      return true;
    }) ?? null
  );
}

const ADDRESS_FIELD: Record<PageChannel, 'phone' | 'email' | 'chatWebhook' | 'telegramChatId' | 'whatsapp' | 'teamsWebhook'> = {
  sms: 'phone',
  email: 'email',
  chat: 'chatWebhook',
  telegram: 'telegramChatId',
  whatsapp: 'whatsapp',
  teams: 'teamsWebhook',
};

/** A contact's address on a channel (the one place that maps channels to contact fields), or null. */
export function addressOf(c: Pick<AlertContact, 'phone' | 'email' | 'chatWebhook' | 'telegramChatId' | 'whatsapp' | 'teamsWebhook'>, channel: PageChannel): string | null {
  const v = c[ADDRESS_FIELD[channel]];
  return v && v.trim() ? v.trim() : null;
}

/**
 * What a delivery record names as its recipient: the address, except where the address is a
 * credential (a webhook URL): then `<channel>:<contact name>`, and the URL is read at send time.
 */
export function recipientOf(channel: PageChannel, address: string, contactName: string): string {
  return SECRET_ADDRESS_CHANNELS.includes(channel) ? `${channel}:${contactName}` : address;
}

/**
 * Decides who hears about an incident, over which channels, for an opening page, a growth or an
 * escalation (`level` defaults to the incident's effective level). Resolves do not come through
 * here: they follow the pages that were sent (see `planResolve`).
 */
export function planAlert(input: {
  incident: AlertIncident;
  contacts: AlertContact[];
  rules: RoutingRules;
  now: Date;
  level?: IncidentLevel;
  /** Channels the notifier can send on now; default all. A contact reachable only on others is dropped. */
  enabledChannels?: readonly PageChannel[];
}): AlertPlan {
  const level = input.level ?? effectiveLevel(input.incident);
  const rule = matchRule(input.rules, input.incident, level);
  const notes: string[] = [];
  if (!rule) return { rule: null, level, dashboard: false, pages: [], notes: [`no rule matches level ${level}`], dropped: [], escalateNow: false };
  const plan: AlertPlan = { rule, level, dashboard: rule.dashboard, pages: [], notes, dropped: [], escalateNow: false, ...(rule.escalateAfterSec !== undefined && { escalateAfterSec: rule.escalateAfterSec }) };
  if (!rule.page) return plan;
  const page = rule.page;
  const channels = page.channels.filter((ch) => !input.enabledChannels || input.enabledChannels.includes(ch));
  const reachable = (c: AlertContact) => channels.some((ch) => addressOf(c, ch));

  let people = input.contacts.filter((c) => c.active !== false && c.level === page.contactLevel);
  if (page.scope === 'building') {
    const building = input.incident.building ?? null;
    const inScope = people.filter((c) => !c.buildings.length || (building !== null && c.buildings.includes(building)));
    if (!inScope.some(reachable) && page.contactLevel < 3) {
      // Paging every technician network-wide reaches people who cannot act on this building;
      // the next level can, and must hear now rather than after the escalation delay.
      notes.push(`nobody reachable at level ${page.contactLevel} covers building ${building ?? '(none)'}: to level ${page.contactLevel + 1} now`);
      plan.escalateNow = true;
      people = inScope;
    } else if (inScope.length) people = inScope;
    else if (people.length) notes.push(`nobody at level ${page.contactLevel} covers building ${building ?? '(none)'}: paging all of level ${page.contactLevel}`);
  }
  if (page.respectOnDuty) {
    const onDuty = people.filter((c) => isOnDuty(c.onDuty, input.now));
    if (onDuty.length) {
      if (onDuty.length < people.length) notes.push(`off duty, not paged: ${people.filter((c) => !onDuty.includes(c)).map((c) => c.name).join(', ')}`);
      people = onDuty;
    } else if (people.length) notes.push('nobody in scope is on duty: paging everyone in scope');
  }
  if (!people.length) notes.push(`no active level ${page.contactLevel} contacts`);

  for (const c of people) {
    let reached = false;
    for (const channel of channels) {
      const address = addressOf(c, channel);
      if (!address) continue;
      plan.pages.push({ contactId: c.id, contactName: c.name, channel, address, priority: page.priority });
      reached = true;
    }
    if (!reached) {
      const reason = `no address on an enabled channel (${channels.join('/') || 'none of ' + page.channels.join('/') + ' enabled'})`;
      notes.push(`${c.name}: ${reason}`);
      plan.dropped.push({ contactId: c.id, contactName: c.name, channel: page.channels[0], reason });
    }
  }
  return plan;
}

/** A page that went (or is going) out earlier for the incident. */
export interface PriorPage {
  contactId: string;
  contactName?: string;
  channel: PageChannel;
  address: string;
  kind: NotificationKind;
  priority: 'high' | 'normal';
  status: string;
}

/**
 * A resolve goes to whoever was paged about the incident (opening, growth or escalation page), over the
 * same channels, whatever the rules, rosters or suppression say now: someone woken up by the
 * page must hear that it is over. One resolve per contact and channel.
 */
export function planResolve(prior: PriorPage[]): PlannedPage[] {
  const seen = new Set<string>();
  const out: PlannedPage[] = [];
  for (const p of prior) {
    if (p.kind !== 'opened' && p.kind !== 'escalated' && p.kind !== 'grown') continue;
    // Never sent (resolved first) or never possible (no address): nobody was woken by it.
    if (p.status === 'suppressed' || p.status === 'skipped') continue;
    const key = `${p.contactId}.${p.channel}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ contactId: p.contactId, contactName: p.contactName ?? '', channel: p.channel, address: p.address, priority: p.priority });
  }
  return out;
}

/** Stable key of one delivery: replicas and retries that compute it again find the same record. */
export function notificationKey(parts: { incidentId: string; recipient: string; channel: string; kind: NotificationKind; suffix?: string | number }): string {
  return [parts.incidentId, parts.recipient, parts.channel, parts.kind, ...(parts.suffix !== undefined ? [String(parts.suffix)] : [])].join('.');
}
