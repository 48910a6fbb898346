import { Injectable, Logger } from '@nestjs/common';
import { ContactRepository, IncidentRepository, NotificationRepository, type Notification } from '@isp/data';
import { PermanentError, RetryableError, type DeliverNotificationJob } from '@isp/domain';
import { ChannelRegistry } from '../channels/channel-registry.service';
import type { OutboundMessage } from '../channels/delivery-channel';
import { NotifierConfig } from '../config/notifier.config';

/**
 * Sends one recorded notification. The record is claimed atomically first (only one worker can
 * hold it), so a duplicate job, a second replica or a retry after success never sends twice.
 * Transient failures are recorded and rethrown (the queue retries with backoff); permanent ones
 * are recorded and end the job.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly contacts: ContactRepository,
    private readonly incidents: IncidentRepository,
    private readonly channels: ChannelRegistry,
    private readonly config: NotifierConfig,
  ) {}

  async deliver(job: DeliverNotificationJob): Promise<string> {
    const n = await this.claim(job.notificationId);
    if (typeof n === 'string') return n;
    const id = String(n._id);
    try {
      const channel = this.channels.get(n.channel);
      if (!channel.enabled) throw new PermanentError(`channel ${n.channel} is disabled`, 'CHANNEL_DISABLED');
      const message = await this.outbound(n);
      const result = await channel.send(message);
      await this.notifications.markSent(id, result.providerMessageId);
      this.logger.log(`notification ${id} sent: ${n.channel} ${n.kind} (attempt ${n.attempts})`);
      return 'sent';
    } catch (err) {
      const why = (err as Error).message || String(err);
      await this.notifications.markFailed(id, why.slice(0, 500));
      const permanent = err instanceof PermanentError;
      this.logger.warn(`notification ${id} ${n.channel} ${n.kind} failed (attempt ${n.attempts}, ${permanent ? 'permanent, not retried' : 'will retry'}): ${why}`);
      throw err;
    }
  }

  /** The record to send, or why there is nothing to do. */
  private async claim(id: string): Promise<Notification | string> {
    const claimed = await this.notifications.claim(id);
    if (claimed) return claimed;
    const current = await this.notifications.findById(id);
    if (!current) return 'skipped: notification gone';
    if (current.status === 'sent') return 'skipped: already sent';
    if (current.status === 'suppressed') return 'skipped: suppressed';
    if (current.status === 'sending') {
      const stale = await this.notifications.claimStale(id, new Date(Date.now() - this.config.DELIVERY_STALE_MS));
      if (stale) return stale;
      // Someone else is sending right now; look again later in case they die mid-send.
      throw new RetryableError(`notification ${id} is being sent by another worker`, 'IN_FLIGHT');
    }
    throw new RetryableError(`notification ${id} could not be claimed (status ${current.status})`, 'CLAIM_LOST');
  }

  private async outbound(n: Notification): Promise<OutboundMessage> {
    const base: OutboundMessage = { notificationId: String(n._id), idempotencyKey: n.idempotencyKey, to: n.recipient, subject: n.subject, body: n.body, priority: n.priority };
    if (n.channel === 'chat') {
      // The webhook URL is read now, not stored in the record (it is a credential).
      const contact = n.contact ? await this.contacts.findById(n.contact) : null;
      if (!contact?.chatWebhook) throw new PermanentError(`contact ${String(n.contact)} has no chat webhook any more`, 'NO_ADDRESS');
      return { ...base, to: contact.chatWebhook };
    }
    if (n.channel === 'dashboard' && n.incident) {
      const incident = await this.incidents.findById(n.incident);
      return {
        ...base,
        data: {
          incidentId: String(n.incident),
          kind: n.kind,
          ...(incident && {
            level: incident.escalatedLevel ?? incident.level,
            state: incident.state,
            building: incident.building ? String(incident.building) : null,
            buildingName: incident.buildingName ?? null,
            rootCause: { kind: incident.rootCause.kind, id: String(incident.rootCause.id), name: incident.rootCause.name, type: incident.rootCause.type },
            impactedDevices: incident.impactedDevices,
            impactedSubscribers: incident.impactedSubscribers,
            openedAt: incident.openedAt.toISOString(),
            resolvedAt: incident.resolvedAt?.toISOString() ?? null,
          }),
        },
      };
    }
    return base;
  }
}
