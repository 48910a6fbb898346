import { Injectable, Logger } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { RetentionSweepResult } from '@isp/domain';
import type { Connection } from 'mongoose';
import { ApiGatewayConfig } from '../config/api-gateway.config';
import { RETENTION_TARGETS, type RetentionTarget } from './retention.targets';

const DAY = 24 * 3600 * 1000;

/** Days a collection is kept: its RETENTION_DAYS_BY_COLLECTION entry, else RETENTION_DAYS. */
export function retentionDays(config: Pick<ApiGatewayConfig, 'RETENTION_DAYS' | 'RETENTION_DAYS_BY_COLLECTION'>, name: string): number {
  const entry = config.RETENTION_DAYS_BY_COLLECTION.find((e) => e.split('=')[0] === name);
  return entry ? Number(entry.split('=')[1]) : config.RETENTION_DAYS;
}

/**
 * Retention in code: the MongoDB-compatible store has no TTL indexes (docs/decisions.md), so a
 * scheduled job deletes what is past keeping. Each collection is pruned in batches of ids
 * (RETENTION_BATCH_SIZE, oldest ids first), so no single delete holds the store for long, and at
 * most RETENTION_MAX_BATCHES per sweep, so a first sweep over years of history cannot run for
 * hours: it reports `more` and the next sweep carries on.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly config: ApiGatewayConfig,
  ) {}

  async sweep(now = new Date()): Promise<RetentionSweepResult[]> {
    const results: RetentionSweepResult[] = [];
    for (const target of RETENTION_TARGETS) results.push(await this.prune(target, new Date(now.getTime() - retentionDays(this.config, target.name) * DAY)));
    const deleted = results.filter((r) => r.deleted);
    if (deleted.length) this.logger.log({ msg: 'retention sweep', results: deleted });
    return results;
  }

  private async prune(target: RetentionTarget, cutoff: Date): Promise<RetentionSweepResult> {
    const model = this.connection.model(target.model);
    const { RETENTION_BATCH_SIZE: size, RETENTION_MAX_BATCHES: maxBatches } = this.config;
    let deleted = 0;
    let batches = 0;
    for (;;) {
      if (batches === maxBatches) return { collection: target.name, cutoff: cutoff.toISOString(), deleted, batches, more: true };
      const ids = (await model.find(target.expired(cutoff), { _id: 1 }).sort({ _id: 1 }).limit(size).lean<{ _id: unknown }[]>().exec()).map((d) => d._id);
      if (!ids.length) break;
      // The condition again: a record changed since it was read (an incident reopened) stays.
      const res = await model.deleteMany({ _id: { $in: ids }, ...target.expired(cutoff) }).exec();
      deleted += res.deletedCount;
      batches++;
      if (ids.length < size) break;
    }
    return { collection: target.name, cutoff: cutoff.toISOString(), deleted, batches, more: false };
  }
}
