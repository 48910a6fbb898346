import { Injectable, Logger } from '@nestjs/common';
import { ContactRepository, IncidentRepository, NotificationRepository, contactTimeZone, type Notification } from '@isp/data';
import { PAGE_CHANNELS, addressOf, effectiveLevel, recipientOf, notificationKey, type IncidentLevel } from '@isp/domain';
import { ChannelRegistry } from '../channels/channel-registry.service';
import { TEMPLATE_KINDS, type TemplateKind } from '../templates/message-templates';
import { AlertContextService, toAlertContact } from './alert-context.service';
import { NotificationIntentService, bodyFor, impactOf } from './notification-intent.service';

/** The suffix part of `${incident}.${recipient}.${channel}.${kind}[.${suffix}]`. */
export function keySuffix(idempotencyKey: string): string | undefined {
  const parts = idempotencyKey.split('.');
  return parts.length > 4 ? parts.slice(4).join('.') : undefined;
}

/**
 * A page that cannot get through on one channel goes to the same contact's other channels (those
 * the notifier can send on and the contact has an address for), once per page. The records take
 * the keys a page on those channels would have had, so a channel the rule already used is not
 * paged twice.
 */
@Injectable()
export class DeliveryFailoverService {
  private readonly logger = new Logger(DeliveryFailoverService.name);

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly contacts: ContactRepository,
    private readonly incidents: IncidentRepository,
    private readonly channels: ChannelRegistry,
    private readonly context: AlertContextService,
    private readonly intents: NotificationIntentService,
  ) {}

  /** Whether this page has failed on every channel it went out on for its contact (nothing left to reach them). */
  async everyChannelFailed(n: Notification): Promise<boolean> {
    if (!n.contact || !n.incident) return false;
    const suffix = keySuffix(n.idempotencyKey);
    const same = (await this.notifications.find({ incident: n.incident, contact: n.contact, kind: n.kind }, 100)).filter((x) => keySuffix(x.idempotencyKey) === suffix && x.status !== 'skipped');
    return same.every((x) => x.status === 'failed' || String(x._id) === String(n._id));
  }

  /** Number of new deliveries recorded on other channels. */
  async failover(n: Notification, why: string): Promise<number> {
    if (!n.contact || !n.incident || n.channel === 'dashboard' || !(TEMPLATE_KINDS as readonly string[]).includes(n.kind)) return 0;
    if (!(await this.notifications.setOnce(n._id, 'failedOver'))) return 0;
    const [contact, incident] = await Promise.all([this.contacts.findById(n.contact), this.incidents.findById(n.incident)]);
    if (!contact || contact.active === false || !incident) return 0;
    if (incident.state === 'resolved' && n.kind !== 'resolved') return 0;
    const c = toAlertContact(contact);
    const others = PAGE_CHANNELS.filter((ch) => ch !== n.channel && this.channels.isEnabled(ch) && addressOf(c, ch));
    if (!others.length) {
      this.logger.warn(`notification ${String(n._id)}: ${contact.name} has no other channel to fail over to (${why})`);
      return 0;
    }
    const level = (n.level ?? effectiveLevel(incident)) as IncidentLevel;
    const message = (await this.context.render(n.kind as TemplateKind, incident, level))(contactTimeZone(contact));
    let created = 0;
    for (const ch of others) {
      const r = await this.intents.recordOne({
        incident: n.incident,
        contact: n.contact,
        recipient: recipientOf(ch, addressOf(c, ch)!, contact.name),
        channel: ch,
        kind: n.kind,
        idempotencyKey: notificationKey({ incidentId: String(n.incident), recipient: String(n.contact), channel: ch, kind: n.kind, suffix: keySuffix(n.idempotencyKey) }),
        ...bodyFor(ch, message),
        priority: n.priority,
        level,
        // The figures the original page carried: a re-page compares against what people were told.
        impact: n.impact ?? impactOf(incident),
      });
      if (r.created) created++;
    }
    this.logger.warn(`notification ${String(n._id)} (${n.channel} to ${contact.name}) failing: ${created} page(s) on ${others.join('/')} instead (${why})`);
    return created;
  }
}
