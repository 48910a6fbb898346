import { Injectable, Logger } from '@nestjs/common';
import { IncidentRepository, NotificationRepository } from '@isp/data';
import { JobName, PermanentError, type ReceiptCheckJob } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { ChannelRegistry } from '../channels/channel-registry.service';
import type { Receipt } from '../channels/delivery-channel';
import { NotifierConfig } from '../config/notifier.config';
import { DeliveryAlarmService } from './delivery-alarm.service';
import { DeliveryFailoverService } from './delivery-failover.service';
import { retryDelayMs } from './delivery-policy';
import { NotifierMetrics } from '../metrics/notifier-metrics.service';

/**
 * Delivery receipts of providers that can be asked (Twilio SMS): a sent notification is looked at
 * again and again (each look its own delayed job, so replicas look once and a restart loses
 * nothing), from SMS_RECEIPT_POLL_MS doubling up to SMS_RECEIPT_POLL_MAX_MS, until the provider
 * gives a final word or SMS_RECEIPT_WAIT_MS has passed since the send.
 *
 * `delivered` settles it delivered. `failed`/`undelivered` settles it failed with the provider's
 * error code, and the page goes to the contact's other channels at once (like a refused send; a
 * handset that is off would not take a resend sooner than the e-mail arrives), with an alarm when
 * it was the last one. No final word in time leaves it `sent`, the provider's last status in
 * `receiptStatus`: many carriers never send handset receipts, so silence is not a failure.
 */
@Injectable()
export class DeliveryReceiptService {
  private readonly logger = new Logger(DeliveryReceiptService.name);

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly incidents: IncidentRepository,
    private readonly channels: ChannelRegistry,
    private readonly failovers: DeliveryFailoverService,
    private readonly alarms: DeliveryAlarmService,
    private readonly producer: JobProducer,
    private readonly config: NotifierConfig,
    private readonly metrics: NotifierMetrics,
  ) {}

  /** Schedules the first look at a just-sent notification's receipt. */
  async expect(notificationId: string): Promise<void> {
    await this.producer.add(JobName.RECEIPT_CHECK, { notificationId, check: 1 }, { delay: this.delayBefore(1) });
  }

  async check(job: ReceiptCheckJob): Promise<string> {
    const n = await this.notifications.findById(job.notificationId);
    if (!n) return 'skipped: notification gone';
    if (n.status !== 'sent' || !n.providerMessageId) return `skipped: ${n.status}`;
    const channel = this.channels.get(n.channel);
    if (!channel.fetchReceipt) return `skipped: ${n.channel} gives no receipts`;
    const id = String(n._id);

    let receipt: Receipt | null = null;
    try {
      receipt = await channel.fetchReceipt(n.providerMessageId);
    } catch (err) {
      const why = (err as Error).message;
      if (err instanceof PermanentError) {
        this.logger.warn(`notification ${id}: no receipt will come (${why}); stays sent`);
        return `no receipt: ${why}`;
      }
      // The provider cannot be asked right now: look again at the next step, like a pending answer.
      this.logger.debug(`notification ${id}: receipt look-up failed (${why}), will look again`);
    }

    if (receipt?.state === 'delivered') {
      if (await this.notifications.recordReceipt(id, receipt.providerStatus, { status: 'delivered' })) {
        this.metrics.receipt(n.channel, 'delivered');
        this.logger.log(`notification ${id} delivered: ${n.channel} ${n.kind} (receipt)`);
      }
      return 'delivered';
    }
    if (receipt?.state === 'failed') {
      const why = receipt.detail ?? `provider status ${receipt.providerStatus}`;
      if (!(await this.notifications.recordReceipt(id, receipt.providerStatus, { status: 'failed', error: why }))) return `skipped: settled meanwhile`;
      this.metrics.receipt(n.channel, 'failed');
      this.logger.warn(`notification ${id} ${n.channel} ${n.kind} failed after it was sent: ${why}`);
      if (n.kind === 'alarm' || (await this.failovers.failover(n, why))) return `failed: ${why}`;
      // Nothing else reached them. Worth an alarm only while the page matters: a DOWN page of an incident resolved since is not.
      const incident = n.incident ? await this.incidents.findById(n.incident) : null;
      const over = incident?.state === 'resolved' && n.kind !== 'resolved';
      if (!over && (await this.failovers.everyChannelFailed(n))) {
        await this.alarms.raise({ channel: n.channel, cause: 'undeliverable', detail: `${n.kind} page to ${n.recipient} not delivered on any channel: ${why}`, incident: n.incident });
      }
      return `failed: ${why}`;
    }

    if (receipt) await this.notifications.recordReceipt(id, receipt.providerStatus);
    const status = receipt?.providerStatus ?? n.receiptStatus ?? 'unknown';
    const deadline = new Date(n.sentAt ?? Date.now()).getTime() + this.config.SMS_RECEIPT_WAIT_MS;
    const left = deadline - Date.now();
    if (left <= 0) {
      this.logger.log(`notification ${id}: no delivery receipt within ${this.config.SMS_RECEIPT_WAIT_MS} ms (provider says ${status}); stays sent`);
      return `no receipt in time: stays sent (${status})`;
    }
    await this.producer.add(JobName.RECEIPT_CHECK, { notificationId: id, check: job.check + 1 }, { delay: Math.min(left, this.delayBefore(job.check + 1)) });
    return `pending: ${status}`;
  }

  private delayBefore(check: number): number {
    return retryDelayMs(check, { backoffMs: this.config.SMS_RECEIPT_POLL_MS, backoffMaxMs: this.config.SMS_RECEIPT_POLL_MAX_MS });
  }
}
