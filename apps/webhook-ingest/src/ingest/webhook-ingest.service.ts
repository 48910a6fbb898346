import { Injectable } from '@nestjs/common';
import { type WebhookKind } from '@isp/domain';
import { WebhookIngestConfig } from '../config/webhook-ingest.config';
import { IngestMetrics } from '../metrics/ingest-metrics.service';
import { QueueUnavailableError, StatusEventProducer } from '../queue/status-event.producer';
import type { CachedRouter } from '../routers/router-cache.service';
import { toStatusEvent } from './status-event.mapper';
import type { WebhookBodies } from './webhook-body.validator';
import { RejectReason, WebhookRejection } from './webhook-rejection';

/** Turns an authenticated, validated webhook into its stored job; 202 only after Redis said yes. */
@Injectable()
export class WebhookIngestService {
  constructor(
    private readonly producer: StatusEventProducer,
    private readonly metrics: IngestMetrics,
    private readonly config: WebhookIngestConfig,
  ) {}

  async accept<K extends WebhookKind>(kind: K, router: CachedRouter, body: WebhookBodies[K]): Promise<void> {
    const receivedAt = new Date();
    const job = toStatusEvent(kind, router.id, body, receivedAt, this.config.ROUTER_CLOCK_SKEW_MS);
    const started = process.hrtime.bigint();
    try {
      await this.producer.enqueue(job);
    } catch (err) {
      if (err instanceof QueueUnavailableError) {
        throw new WebhookRejection(503, RejectReason.QUEUE_UNAVAILABLE, 'event queue unavailable, the event was not stored; try again', undefined, { 'Retry-After': '5' });
      }
      throw err;
    }
    this.metrics.enqueueTook(Number(process.hrtime.bigint() - started) / 1e9);
    this.metrics.acceptedEvent(kind);
  }
}
