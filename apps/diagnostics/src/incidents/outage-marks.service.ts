import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { PLATFORM_REDIS } from '@isp/platform';
import { DiagnosticsConfig } from '../config/diagnostics.config';

/** Members per command: one command stays small however large the outage. */
const CHUNK = 1000;
/** Longer than any outage's stream of batches; the marks only save work, so losing them costs a rewrite. */
const TTL_S = 24 * 3600;

/**
 * The nodes an outage has already recorded (state and downtime written), per incident, in Redis
 * so every replica sees them. Every batch of an outage reports the whole subtree below its root
 * again: under a backhaul, each of dozens of batches would re-read and rewrite thousands of
 * records, and on the embedded store each such read decodes the whole collection. A node is
 * marked only after its records are written, so a batch that fails leaves it for the next one,
 * and with the time that recording began: a node seen UP after that (its session came back) is
 * recorded again when a later batch finds it down.
 */
@Injectable()
export class OutageMarks {
  constructor(
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    private readonly config: DiagnosticsConfig,
  ) {}

  private key(incidentId: string): string {
    return [this.config.QUEUE_PREFIX, 'diag', 'outage-marked', incidentId].join(':');
  }

  /** Of these nodes, those the incident has not recorded since their last UP (`upTimes`, ms, in the same order). */
  async unrecorded(incidentId: string, ids: readonly string[], upTimes: readonly (number | undefined)[]): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const marks = await this.redis.hmget(this.key(incidentId), ...chunk);
      chunk.forEach((id, j) => {
        const markedAt = marks[j] === null ? undefined : Number(marks[j]);
        if (markedAt === undefined || (upTimes[i + j] ?? -Infinity) >= markedAt) out.push(id);
      });
    }
    return out;
  }

  /** These nodes' records are written, by a recording that began at `began`. */
  async recorded(incidentId: string, ids: readonly string[], began: Date): Promise<void> {
    if (!ids.length) return;
    const tx = this.redis.pipeline();
    const at = String(began.getTime());
    for (let i = 0; i < ids.length; i += CHUNK) tx.hset(this.key(incidentId), Object.fromEntries(ids.slice(i, i + CHUNK).map((id) => [id, at])));
    tx.expire(this.key(incidentId), TTL_S);
    await tx.exec();
  }
}
