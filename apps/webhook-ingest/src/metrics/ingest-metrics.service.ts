import { Injectable, Logger } from '@nestjs/common';
import { AppMetrics } from '@isp/platform';
import { StatusEventProducer } from '../queue/status-event.producer';
import type { RejectReason } from '../ingest/webhook-rejection';

/**
 * Prometheus metrics of the edge, in the app's registry (AppMetrics, served at /metrics with the
 * platform's queue depths and the process's own metrics).
 */
@Injectable()
export class IngestMetrics {
  private readonly logger = new Logger(IngestMetrics.name);
  private readonly accepted;
  private readonly rejected;
  private readonly enqueueSeconds;

  constructor(metrics: AppMetrics, producer: StatusEventProducer) {
    this.accepted = metrics.counter('webhook_events_accepted_total', 'Webhooks answered 202: the status-event job is stored in Redis', ['kind']);
    this.rejected = metrics.counter('webhook_events_rejected_total', 'Webhooks refused, by reason (no job was created)', ['reason']);
    this.enqueueSeconds = metrics.histogram('webhook_enqueue_duration_seconds', 'Time from validated webhook to Redis having stored its job (batching included)', [], [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2]);
    const logger = this.logger;
    // Read at scrape time: no polling, and a dead Redis shows as a missing sample, not a stale one.
    metrics.gauge('webhook_queue_depth', 'Jobs on monitoring-queue by state, read from Redis at scrape time', ['state'], async function () {
      this.reset();
      try {
        const counts = await producer.depth();
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      } catch (err) {
        logger.warn(`queue depth unavailable: ${(err as Error).message}`);
      }
    });
  }

  acceptedEvent(kind: string): void {
    this.accepted.inc({ kind });
  }

  rejectedEvent(reason: RejectReason): void {
    this.rejected.inc({ reason });
  }

  enqueueTook(seconds: number): void {
    this.enqueueSeconds.observe(seconds);
  }
}
