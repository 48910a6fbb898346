import { Inject, Injectable } from '@nestjs/common';
import { BuildingRepository, ContactRepository, type Contact, type Incident } from '@isp/data';
import { PAGE_CHANNELS, planAlert, type AlertContact, type AlertPlan, type IncidentLevel, type RoutingRules } from '@isp/domain';
import { ChannelRegistry } from '../channels/channel-registry.service';
import { NotifierConfig } from '../config/notifier.config';
import { MessageTemplates, type LocalizedMessage, type RenderedMessage, type TemplateKind } from '../templates/message-templates';
import { MESSAGE_TEMPLATES, ROUTING_RULES } from './alerting.tokens';
import { incidentVars } from './incident-message';

export function toAlertContact(c: Contact): AlertContact {
  return {
    id: String(c._id),
    name: c.name,
    level: c.level,
    phone: c.phone,
    email: c.email,
    chatWebhook: c.chatWebhook,
    telegramChatId: c.telegramChatId,
    whatsapp: c.whatsapp,
    teamsWebhook: c.teamsWebhook,
    buildings: (c.buildings ?? []).map(String),
    // The window's times are read in the contact's zone unless the window names its own.
    onDuty: c.onDuty && !c.onDuty.timezone && c.timezone ? { ...c.onDuty, timezone: c.timezone } : c.onDuty,
    active: c.active,
  };
}

/** What the alerting services share: routing over fresh contacts, and message rendering. */
@Injectable()
export class AlertContextService {
  constructor(
    private readonly contacts: ContactRepository,
    private readonly buildings: BuildingRepository,
    @Inject(ROUTING_RULES) readonly rules: RoutingRules,
    @Inject(MESSAGE_TEMPLATES) private readonly templates: MessageTemplates,
    private readonly config: NotifierConfig,
    private readonly channels: ChannelRegistry,
  ) {}

  async plan(incident: Incident, level: IncidentLevel): Promise<AlertPlan> {
    const contacts = (await this.contacts.findActive()).map(toAlertContact);
    return planAlert({
      incident: { level: incident.level, escalatedLevel: incident.escalatedLevel, building: incident.building ? String(incident.building) : null, rootCause: incident.rootCause },
      contacts,
      rules: this.rules,
      now: new Date(),
      level,
      enabledChannels: PAGE_CHANNELS.filter((ch) => this.channels.isEnabled(ch)),
    });
  }

  /** The message in every reader's zone: rendered once per zone asked for (times are the only part that differs). */
  async render(kind: TemplateKind, incident: Incident, level: number): Promise<LocalizedMessage> {
    let buildingName = incident.buildingName;
    if (!buildingName && incident.building) buildingName = (await this.buildings.findById(incident.building))?.name;
    const byZone = new Map<string, RenderedMessage>();
    return (timeZone = 'UTC') => {
      let m = byZone.get(timeZone);
      if (!m) {
        m = this.templates.render(kind, incidentVars(incident, { buildingName, level, org: this.config.ORG_NAME, priority: level === 3 ? 'high' : 'normal', timeZone }));
        byZone.set(timeZone, m);
      }
      return m;
    };
  }

  /** Seconds until an unacknowledged incident at `level` escalates; null = never. */
  escalateAfterSec(plan: AlertPlan): number | null {
    if (plan.level >= 3) return null;
    return plan.escalateAfterSec === undefined ? this.config.ESCALATE_AFTER_SEC : plan.escalateAfterSec;
  }
}
