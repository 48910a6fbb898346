import { Injectable, Logger } from '@nestjs/common';
import { JobName, notificationKey, type NotificationKind, type PlannedPage } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { NotificationRepository, toId, type Incident } from '@isp/data';
import { ChannelRegistry } from '../channels/channel-registry.service';
import type { RenderedMessage } from '../templates/message-templates';

export interface IntentBatch {
  incident: Incident;
  kind: NotificationKind;
  /** Makes repeatable kinds distinct: the revision for grown/shrunk, the level for escalations. */
  suffix?: string;
  pages: PlannedPage[];
  dashboard: boolean;
  message: RenderedMessage;
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
  ) {}

  async record(batch: IntentBatch): Promise<{ recorded: number; queued: number }> {
    const incidentId = String(batch.incident._id);
    const { kind, suffix, message: msg } = batch;
    let recorded = 0;
    let queued = 0;
    const skipped = new Set<string>();

    const intents: Parameters<NotificationRepository['recordIntentOnce']>[0][] = batch.pages.flatMap((p) => {
      if (!this.channels.isEnabled(p.channel)) {
        skipped.add(p.channel);
        return [];
      }
      return [
        {
          incident: batch.incident._id,
          contact: toId(p.contactId),
          // A chat webhook URL is a credential: the record names the contact, the URL is read at send time.
          recipient: p.channel === 'chat' ? `chat:${p.contactName || p.contactId}` : p.address,
          channel: p.channel,
          kind,
          idempotencyKey: notificationKey({ incidentId, recipient: p.contactId, channel: p.channel, kind, suffix }),
          subject: p.channel === 'email' ? msg.subject : undefined,
          body: p.channel === 'sms' ? msg.sms : p.channel === 'email' ? msg.body : msg.chat,
          priority: p.priority,
        },
      ];
    });
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
      });
    }
    if (skipped.size) this.logger.debug(`incident ${incidentId} ${kind}: channels disabled, not recorded: ${[...skipped].join(', ')}`);

    for (const intent of intents) {
      const { notification, created } = await this.notifications.recordIntentOnce(intent);
      if (created) recorded++;
      // Still pending: queue it (again). The job id dedupes, the claim guards the send.
      if (notification.status === 'pending') {
        await this.enqueueDelivery(String(notification._id));
        queued++;
      }
    }
    return { recorded, queued };
  }

  /** The deliver job, with this app's retry policy (DELIVERY_ATTEMPTS, DELIVERY_BACKOFF_MS: app.module). */
  async enqueueDelivery(notificationId: string): Promise<void> {
    await this.producer.add(JobName.DELIVER_NOTIFICATION, { notificationId });
  }
}
