import { Injectable, Logger } from '@nestjs/common';
import { JobName, SECRET_ADDRESS_CHANNELS, impactSize, notificationKey, recipientOf, type DroppedContact, type NotificationKind, type PlannedPage } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { ContactRepository, NotificationRepository, contactTimeZone, toId, type Incident } from '@isp/data';
import { ChannelRegistry } from '../channels/channel-registry.service';
import { NotifierConfig } from '../config/notifier.config';
import { ackLinkFor, withAckLink } from '../templates/ack-link-text';
import type { LocalizedMessage, RenderedMessage } from '../templates/message-templates';
import { smsSegments } from '../templates/sms-text';

export interface IntentBatch {
  incident: Incident;
  kind: NotificationKind;
  /** Makes repeatable kinds distinct: the revision for grown/shrunk, the level for escalations. */
  suffix?: string;
  pages: PlannedPage[];
  dashboard: boolean;
  /** The text, in each contact's zone. */
  message: LocalizedMessage;
  /** Level the pages are sent at (kept on each record: a later re-page compares against it). */
  level?: number;
  /** Contacts the plan could not reach: filed as 'skipped' in the record of who was told. */
  dropped?: DroppedContact[];
}

export type Intent = Parameters<NotificationRepository['recordIntentOnce']>[0];

export function impactOf(incident: Incident): number {
  return impactSize({ stations: incident.impactedStations ?? 0, devices: incident.impactedDevices ?? 0, subscribers: incident.impactedSubscribers ?? 0 });
}

/** The text of a page for its channel, with the SMS facts the record keeps. */
export function bodyFor(channel: PlannedPage['channel'] | 'dashboard', msg: RenderedMessage): Pick<Intent, 'subject' | 'body' | 'smsEncoding' | 'smsSegments'> {
  if (channel === 'sms') {
    const s = smsSegments(msg.sms);
    return { body: msg.sms, smsEncoding: s.encoding, smsSegments: s.segments };
  }
  // Telegram, WhatsApp and Teams carry the plain text; each channel formats it for its own markup (escaping names there).
  if (channel === 'email' || channel === 'telegram' || channel === 'whatsapp' || channel === 'teams') return { subject: msg.subject, body: msg.body };
  return { body: msg.chat };
}

/**
 * Records the intent of every delivery before anything is sent, then queues one delivery job per
 * record. The unique idempotency key makes the record exactly-once across replicas and retries;
 * the deliver job's id is derived from the record, and the record is claimed before sending, so
 * queueing it again (a retried incident job after a crash) cannot send twice.
 */
@Injectable()
export class NotificationIntentService {
  private readonly logger = new Logger(NotificationIntentService.name);

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly channels: ChannelRegistry,
    private readonly producer: JobProducer,
    private readonly contacts: ContactRepository,
    private readonly config: NotifierConfig,
  ) {}

  async record(batch: IntentBatch): Promise<{ recorded: number; queued: number }> {
    const incidentId = String(batch.incident._id);
    const { kind, suffix, message } = batch;
    const impact = impactOf(batch.incident);
    const skipped = new Set<string>();
    // Times in each page are shown in its reader's zone.
    const ids = [...new Set(batch.pages.map((p) => p.contactId))];
    const zones = new Map(ids.length ? (await this.contacts.findByIds(ids)).map((c) => [String(c._id), contactTimeZone(c)] as const) : []);
    const msg = message();

    const intents: Intent[] = batch.pages.flatMap((p) => {
      if (!this.channels.isEnabled(p.channel)) {
        skipped.add(p.channel);
        return [];
      }
      const text = bodyFor(p.channel, message(zones.get(p.contactId)));
      // E-mail and chat carry a link that acknowledges in this contact's name (one per page).
      const link = ackLinkFor(this.config, { incidentId, contactId: p.contactId, channel: p.channel, kind, open: batch.incident.state === 'open' });
      return [
        {
          incident: batch.incident._id,
          contact: toId(p.contactId),
          recipient: recipientOf(p.channel, p.address, p.contactName || p.contactId),
          channel: p.channel,
          kind,
          idempotencyKey: notificationKey({ incidentId, recipient: p.contactId, channel: p.channel, kind, suffix }),
          ...text,
          body: withAckLink(p.channel, text.body, link),
          priority: p.priority,
          level: batch.level,
          impact,
        },
      ];
    });
    for (const d of batch.dropped ?? []) {
      this.logger.warn(`incident ${incidentId} ${kind}: ${d.contactName} not paged: ${d.reason}`);
      intents.push({
        incident: batch.incident._id,
        contact: toId(d.contactId),
        recipient: `${SECRET_ADDRESS_CHANNELS.includes(d.channel) ? `${d.channel}:` : ''}${d.contactName}`,
        channel: d.channel,
        kind,
        idempotencyKey: notificationKey({ incidentId, recipient: d.contactId, channel: d.channel, kind, suffix }),
        body: '(not sent)',
        priority: 'normal',
        status: 'skipped',
        error: d.reason,
        level: batch.level,
      });
    }
    if (batch.dashboard && this.channels.isEnabled('dashboard')) {
      intents.push({
        incident: batch.incident._id,
        contact: null,
        recipient: 'dashboard-feed',
        channel: 'dashboard',
        kind,
        idempotencyKey: notificationKey({ incidentId, recipient: 'feed', channel: 'dashboard', kind, suffix }),
        subject: undefined,
        body: msg.chat,
        priority: batch.incident.level === 3 ? 'high' : 'normal',
        level: batch.level,
        impact,
      });
    }
    if (skipped.size) this.logger.debug(`incident ${incidentId} ${kind}: channels disabled, not recorded: ${[...skipped].join(', ')}`);

    let recorded = 0;
    let queued = 0;
    for (const intent of intents) {
      const r = await this.recordOne(intent);
      if (r.created) recorded++;
      if (r.queued) queued++;
    }
    return { recorded, queued };
  }

  /** One intent, recorded once; queued while still pending (the job id dedupes, the claim guards the send). */
  async recordOne(intent: Intent): Promise<{ created: boolean; queued: boolean; id: string }> {
    const { notification, created } = await this.notifications.recordIntentOnce(intent);
    const id = String(notification._id);
    if (notification.status !== 'pending') return { created, queued: false, id };
    await this.enqueueDelivery(id);
    return { created, queued: true, id };
  }

  /** The deliver job for a try of a delivery: the first now, each retry as its own delayed job. */
  async enqueueDelivery(notificationId: string, retry?: { attempt: number; delayMs: number }): Promise<void> {
    await this.producer.add(JobName.DELIVER_NOTIFICATION, { notificationId, ...(retry && { attempt: retry.attempt }) }, retry ? { delay: Math.max(0, Math.round(retry.delayMs)) } : {});
  }
}
