import { Injectable } from '@nestjs/common';
import { PermanentError } from '@isp/domain';
import { AppMetrics } from '@isp/platform';
import { ProviderAlarmError, UncertainSendError } from '../channels/delivery-errors';

/**
 * What the notifier counts: deliveries by channel and result, the time from the incident to the
 * send, escalations, and provider errors by kind (credit, auth, permanent, uncertain, transient).
 */
@Injectable()
export class NotifierMetrics {
  private readonly deliveries;
  private readonly latency;
  private readonly escalations;
  private readonly providerErrors;
  private readonly receipts;

  constructor(metrics: AppMetrics) {
    this.deliveries = metrics.counter('notifier_deliveries_total', 'Delivery attempts by channel and result (delivered, sent, retrying, uncertain, failed, suppressed, ...)', ['channel', 'result']);
    this.latency = metrics.histogram('notifier_delivery_latency_seconds', 'From the incident change (opening, for opened pages) to the provider accepting the page', ['channel'], [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600]);
    this.escalations = metrics.counter('notifier_escalations_total', 'Incidents escalated, by the level reached', ['level']);
    this.receipts = metrics.counter('notifier_receipts_total', 'Final delivery receipts from providers (Twilio) by channel and result (delivered, failed)', ['channel', 'result']);
    this.providerErrors = metrics.counter('notifier_provider_errors_total', 'Provider errors by channel and kind', ['channel', 'kind']);
  }

  /** The result word of a delivery outcome ("suppressed: why" -> "suppressed"). */
  delivery(channel: string, outcome: string): void {
    this.deliveries.inc({ channel, result: outcome.split(':')[0].trim() });
  }

  sent(channel: string, since: Date | string | undefined): void {
    if (since) this.latency.observe({ channel }, Math.max(0, (Date.now() - new Date(since).getTime()) / 1000));
  }

  receipt(channel: string, result: 'delivered' | 'failed'): void {
    this.receipts.inc({ channel, result });
  }

  escalated(level: number): void {
    this.escalations.inc({ level: String(level) });
  }

  providerError(channel: string, err: unknown): void {
    const kind = err instanceof ProviderAlarmError ? err.alarm : err instanceof UncertainSendError ? 'uncertain' : err instanceof PermanentError ? 'permanent' : 'transient';
    this.providerErrors.inc({ channel, kind });
  }
}
