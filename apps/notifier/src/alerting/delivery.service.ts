import { Injectable, Logger } from '@nestjs/common';
import { ContactRepository, IncidentRepository, NotificationRepository, type Incident, type Notification } from '@isp/data';
import { PermanentError, RetryableError, SECRET_ADDRESS_CHANNELS, addressOf, type DeliverNotificationJob } from '@isp/domain';
import { ChannelRegistry } from '../channels/channel-registry.service';
import type { OutboundMessage } from '../channels/delivery-channel';
import { ProviderAlarmError, RateLimitedError, UncertainSendError } from '../channels/delivery-errors';
import { NotifierConfig } from '../config/notifier.config';
import { NotifierMetrics } from '../metrics/notifier-metrics.service';
import { ChannelHealthService } from './channel-health.service';
import { DeliveryAlarmService } from './delivery-alarm.service';
import { DeliveryFailoverService } from './delivery-failover.service';
import { DeliveryReceiptService } from './delivery-receipt.service';
import { afterTransientFailure, type DeliveryTimings } from './delivery-policy';
import { NotificationIntentService } from './notification-intent.service';

/**
 * Sends one recorded notification. The record is claimed atomically first (only one worker can
 * hold it), so a duplicate job, a second replica or a retry after success never sends twice.
 *
 * Failures are handled here, not by the queue: a transient one is retried with capped backoff for
 * the life of the page (each try its own delayed job), fails over to the contact's other channels
 * after DELIVERY_FAILOVER_AFTER_MS and alarms the network admins after DELIVERY_ALARM_AFTER_MS;
 * credit and key trouble alarm at once; a permanent one fails over at once; an unknown outcome is
 * `uncertain` and not resent within DELIVERY_UNCERTAIN_WINDOW_MS. Pages of a resolved incident
 * are suppressed, and a RESOLVED waits for pages to the same contact still being handed over.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);
  private readonly timings: DeliveryTimings;

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly contacts: ContactRepository,
    private readonly incidents: IncidentRepository,
    private readonly channels: ChannelRegistry,
    private readonly intents: NotificationIntentService,
    private readonly failovers: DeliveryFailoverService,
    private readonly alarms: DeliveryAlarmService,
    private readonly receipts: DeliveryReceiptService,
    private readonly health: ChannelHealthService,
    private readonly config: NotifierConfig,
    private readonly metrics: NotifierMetrics,
  ) {
    this.timings = {
      backoffMs: config.DELIVERY_BACKOFF_MS,
      backoffMaxMs: config.DELIVERY_BACKOFF_MAX_MS,
      giveUpMs: config.DELIVERY_GIVE_UP_MS,
      failoverAfterMs: config.DELIVERY_FAILOVER_AFTER_MS,
      alarmAfterMs: config.DELIVERY_ALARM_AFTER_MS,
    };
  }

  async deliver(job: DeliverNotificationJob): Promise<string> {
    const attempt = job.attempt ?? 0;
    const n = await this.claim(job.notificationId, attempt);
    if (typeof n === 'string') return n;
    const id = String(n._id);
    const incident = n.incident ? await this.incidents.findById(n.incident) : null;
    const stop = this.notWorthSending(n, incident, attempt);
    if (stop) {
      await this.notifications.markSuppressed(id, stop);
      this.metrics.delivery(n.channel, 'suppressed');
      this.logger.log(`notification ${id} ${n.channel} ${n.kind} suppressed: ${stop}`);
      return `suppressed: ${stop}`;
    }
    if (n.kind === 'resolved' && n.incident && n.contact && (await this.notifications.countSending(n.incident, n.contact))) {
      // An earlier page to this person is being handed over right now: the RESOLVED goes after it.
      await this.notifications.release(id, new Date(Date.now() + this.config.DELIVERY_BACKOFF_MS));
      await this.intents.enqueueDelivery(id, { attempt: attempt + 1, delayMs: this.config.DELIVERY_BACKOFF_MS });
      return 'waiting: an earlier page to this contact is in flight';
    }
    try {
      const channel = this.channels.get(n.channel);
      if (!channel.enabled) throw new PermanentError(`channel ${n.channel} is disabled`, 'CHANNEL_DISABLED');
      const result = await channel.send(await this.outbound(n, incident));
      await this.notifications.markSent(id, result.providerMessageId, result.delivered);
      this.metrics.delivery(n.channel, result.delivered ? 'delivered' : 'sent');
      this.metrics.sent(n.channel, n.kind === 'opened' && incident ? incident.openedAt : n.createdAt);
      this.logger.log(`notification ${id} ${result.delivered ? 'delivered' : 'sent'}: ${n.channel} ${n.kind} (attempt ${n.attempts})`);
      if (n.channel !== 'dashboard') await this.health.succeeded(n.channel);
      if (result.awaitReceipt && result.providerMessageId && !result.delivered) await this.receipts.expect(id);
      if (result.warning && n.kind !== 'alarm') await this.alarms.raise({ channel: n.channel, cause: result.warning.cause, detail: result.warning.detail, incident: n.incident });
      return result.delivered ? 'delivered' : 'sent';
    } catch (err) {
      return this.failed(n, err as Error, attempt);
    }
  }

  /** Why a page must not go out any more, or null. */
  private notWorthSending(n: Notification, incident: Incident | null, attempt: number): string | null {
    if (!incident || n.kind === 'resolved' || n.kind === 'alarm') return null;
    if (incident.state === 'resolved') return 'incident resolved before this page went out';
    // Someone is on it: a page still retrying would only tell them what they know.
    if (incident.state === 'acknowledged' && attempt > 0 && n.kind !== 'opened') return `incident acknowledged by ${incident.acknowledgedBy ?? 'someone'} before this page went out`;
    return null;
  }

  private async failed(n: Notification, err: Error, attempt: number): Promise<string> {
    this.metrics.providerError(n.channel, err);
    const outcome = await this.afterFailure(n, err, attempt);
    // The channel as a whole: a retryable failure of a page (not an alarm, not an uncertain send) counts towards "down for everyone".
    if (err instanceof RetryableError && !(err instanceof UncertainSendError) && n.kind !== 'alarm' && n.channel !== 'dashboard') {
      await this.health.failed(n.channel, n.recipient, (err.message || String(err)).slice(0, 300), n.incident);
    }
    this.metrics.delivery(n.channel, outcome);
    return outcome;
  }

  private async afterFailure(n: Notification, err: Error, attempt: number): Promise<string> {
    const id = String(n._id);
    const why = (err.message || String(err)).slice(0, 500);
    const isAlarm = n.kind === 'alarm';
    if (err instanceof UncertainSendError) {
      const recheck = this.config.DELIVERY_UNCERTAIN_WINDOW_MS;
      await this.notifications.markUncertain(id, why, new Date(Date.now() + recheck));
      await this.intents.enqueueDelivery(id, { attempt: attempt + 1, delayMs: recheck });
      this.logger.warn(`notification ${id} ${n.channel} ${n.kind} uncertain (attempt ${n.attempts}), not resent for ${recheck} ms: ${why}`);
      // The reader may not have it and we will not resend for a while: the other channels get it now.
      if (!isAlarm) await this.failovers.failover(n, `outcome unknown: ${why}`);
      return 'uncertain';
    }
    if (err instanceof PermanentError) {
      await this.notifications.markFailed(id, why);
      this.logger.warn(`notification ${id} ${n.channel} ${n.kind} failed (attempt ${n.attempts}, permanent): ${why}`);
      if (!isAlarm && !(await this.failovers.failover(n, why)) && (await this.failovers.everyChannelFailed(n))) {
        await this.alarms.raise({ channel: n.channel, cause: 'undeliverable', detail: `${n.kind} page to ${n.recipient} rejected on every channel: ${why}`, incident: n.incident });
      }
      return 'failed';
    }
    if (err instanceof ProviderAlarmError && !isAlarm) await this.alarms.raise({ channel: n.channel, cause: err.alarm, detail: why, incident: n.incident });

    const now = Date.now();
    const failingSince = n.failingSince ? new Date(n.failingSince).getTime() : now;
    const step = afterTransientFailure({ now, createdAt: new Date(n.createdAt ?? now).getTime(), failingSince, attempts: n.attempts }, this.timings);
    // The provider said how long to wait (Telegram's retry_after): sooner would only be refused again.
    if (step.retry && err instanceof RateLimitedError) step.delayMs = Math.max(step.delayMs, err.retryAfterMs);
    if (!step.retry) {
      await this.notifications.markFailed(id, `gave up after ${n.attempts} attempts over ${Math.round((now - failingSince) / 1000)} s: ${why}`);
      this.logger.error(`notification ${id} ${n.channel} ${n.kind} failed for good after ${n.attempts} attempts: ${why}`);
    } else {
      await this.notifications.markRetrying(id, why, new Date(now + step.delayMs), new Date(failingSince));
      await this.intents.enqueueDelivery(id, { attempt: attempt + 1, delayMs: step.delayMs });
      this.logger.warn(`notification ${id} ${n.channel} ${n.kind} failed (attempt ${n.attempts}), retry in ${step.delayMs} ms: ${why}`);
    }
    if (isAlarm) return step.retry ? 'retrying' : 'failed';
    if (step.failover) await this.failovers.failover(n, why);
    if (step.alarm) {
      const cause = step.retry ? 'failing' : 'undeliverable';
      await this.alarms.raise({ channel: n.channel, cause, detail: `${n.channel} failing for ${Math.round((now - failingSince) / 60000)} min: ${why}`, incident: n.incident });
    }
    return step.retry ? 'retrying' : 'failed';
  }

  /** The record to send, or why there is nothing to do now. */
  private async claim(id: string, attempt: number): Promise<Notification | string> {
    const claimed = await this.notifications.claim(id);
    if (claimed) return claimed;
    const current = await this.notifications.findById(id);
    if (!current) return 'skipped: notification gone';
    if (current.status === 'uncertain') return this.recheckUncertain(current, attempt);
    if (current.status === 'sending') {
      const staleBefore = new Date(Date.now() - this.config.DELIVERY_STALE_MS);
      const stale = await this.notifications.markStaleUncertain(id, staleBefore);
      if (stale) {
        await this.intents.enqueueDelivery(id, { attempt: attempt + 1, delayMs: this.config.DELIVERY_UNCERTAIN_WINDOW_MS });
        this.logger.warn(`notification ${id}: its sender stopped mid-send; uncertain, not resent for ${this.config.DELIVERY_UNCERTAIN_WINDOW_MS} ms`);
        return 'uncertain: sender lost mid-send';
      }
      // Someone else is sending right now; look again once their send would count as stale.
      const at = new Date(current.lastAttemptAt ?? Date.now()).getTime() + this.config.DELIVERY_STALE_MS + 1000;
      await this.intents.enqueueDelivery(id, { attempt: attempt + 1, delayMs: at - Date.now() });
      return 'skipped: being sent by another worker';
    }
    return `skipped: ${current.status}`;
  }

  /**
   * The uncertain window has passed (this job was scheduled at its end): send again only when the
   * page still matters (a page of an incident still open and unacknowledged); a duplicate is then
   * better than a page that never arrived. Otherwise it stays uncertain.
   */
  private async recheckUncertain(n: Notification, attempt: number): Promise<Notification | string> {
    const due = n.nextAttemptAt ? new Date(n.nextAttemptAt).getTime() : 0;
    if (attempt === 0 || Date.now() < due - 1000) return 'skipped: uncertain, within its window';
    const incident = n.incident ? await this.incidents.findById(n.incident) : null;
    if (n.kind === 'resolved' || n.kind === 'alarm' || incident?.state !== 'open') return 'skipped: uncertain, no longer worth a resend';
    if (!(await this.notifications.reopenUncertain(n._id))) return 'skipped: uncertain, taken by another worker';
    const claimed = await this.notifications.claim(n._id);
    return claimed ?? 'skipped: claimed by another worker';
  }

  private async outbound(n: Notification, incident: Incident | null): Promise<OutboundMessage> {
    const base: OutboundMessage = { notificationId: String(n._id), idempotencyKey: n.idempotencyKey, to: n.recipient, subject: n.subject, body: n.body, priority: n.priority };
    if (n.channel !== 'dashboard' && SECRET_ADDRESS_CHANNELS.includes(n.channel)) {
      // The webhook URL is read now, not stored in the record (it is a credential).
      const contact = n.contact ? await this.contacts.findById(n.contact) : null;
      const url = contact ? addressOf(contact, n.channel) : null;
      if (!url) throw new PermanentError(`contact ${String(n.contact)} has no ${n.channel} webhook any more`, 'NO_ADDRESS');
      return { ...base, to: url };
    }
    if (n.channel === 'dashboard') {
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
            impactedStations: incident.impactedStations ?? 0,
            impactedDevices: incident.impactedDevices,
            impactedSubscribers: incident.impactedSubscribers,
            openedAt: incident.openedAt.toISOString(),
            resolvedAt: incident.resolvedAt?.toISOString() ?? null,
            inMaintenance: !!incident.maintenance,
          }),
        },
      };
    }
    return base;
  }
}
