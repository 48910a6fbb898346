import { Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { StatusEventProducer } from '../queue/status-event.producer';
import type { RejectReason } from '../ingest/webhook-rejection';

/**
 * Prometheus metrics of the edge. A registry per app instance (not prom-client's global one),
 * so several instances in one process (tests) do not collide.
 */
@Injectable()
export class IngestMetrics {
  private readonly logger = new Logger(IngestMetrics.name);
  readonly registry = new Registry();

  private readonly accepted = new Counter({
    name: 'webhook_events_accepted_total',
    help: 'Webhooks answered 202: the status-event job is stored in Redis',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  private readonly rejected = new Counter({
    name: 'webhook_events_rejected_total',
    help: 'Webhooks refused, by reason (no job was created)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  private readonly enqueueSeconds = new Histogram({
    name: 'webhook_enqueue_duration_seconds',
    help: 'Time from validated webhook to Redis having stored its job (batching included)',
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2],
    registers: [this.registry],
  });

  constructor(producer: StatusEventProducer) {
    const logger = this.logger;
    // Read at scrape time: no polling, and a dead Redis shows as a missing sample, not a stale one.
    new Gauge({
      name: 'webhook_queue_depth',
      help: 'Jobs on monitoring-queue by state, read from Redis at scrape time',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        try {
          const counts = await producer.depth();
          for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
        } catch (err) {
          logger.warn(`queue depth unavailable: ${(err as Error).message}`);
        }
      },
    });
    collectDefaultMetrics({ register: this.registry });
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

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
