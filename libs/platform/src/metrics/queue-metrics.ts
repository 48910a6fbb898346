import type { Queue } from 'bullmq';
import type { AppMetrics } from './app-metrics';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized', 'waiting-children'] as const;

/**
 * BullMQ depth per queue, read from Redis at scrape time (no polling, and a Redis that does not
 * answer shows as missing samples, not stale ones). Every app reports the queues it produces to
 * or consumes from, so the same queue may come from several apps: dashboards take the max.
 */
export function exportQueueMetrics(metrics: AppMetrics, queues: readonly Queue[], onError: (err: Error) => void): void {
  if (!queues.length) return;
  metrics.gauge('bullmq_queue_jobs', 'Jobs in a BullMQ queue by state, read at scrape time', ['queue', 'state'], async function () {
    this.reset();
    await Promise.all(
      queues.map(async (q) => {
        try {
          const counts = await q.getJobCounts(...STATES);
          for (const state of STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
        } catch (err) {
          onError(err as Error);
        }
      }),
    );
  });
  metrics.gauge('bullmq_queue_oldest_waiting_age_seconds', 'Age of the oldest job still waiting in a BullMQ queue (0 when none waits)', ['queue'], async function () {
    this.reset();
    await Promise.all(
      queues.map(async (q) => {
        try {
          // getWaiting lists newest first: the oldest waiting job is the last one.
          const total = await q.getWaitingCount();
          const [oldest] = total ? await q.getWaiting(total - 1, total - 1) : [];
          this.set({ queue: q.name }, oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0);
        } catch (err) {
          onError(err as Error);
        }
      }),
    );
  });
}
