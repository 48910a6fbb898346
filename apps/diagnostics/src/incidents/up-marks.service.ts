import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { PLATFORM_REDIS } from '@isp/platform';
import { DiagnosticsConfig } from '../config/diagnostics.config';

/** Keys per MGET: one command stays small however large the outage. */
const MGET_CHUNK = 1000;
const TTL_S = 3600;

/**
 * When each node was last seen UP (its UP event's time), in Redis so every replica sees it: a
 * DOWN fact older than it is not applied by a late batch (PendingFacts), and an outage dated
 * before it does not mark the node IMPACTED (a heartbeat verdict written while the UP storm
 * after a reboot is being handled).
 */
@Injectable()
export class UpMarks {
  constructor(
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    private readonly config: DiagnosticsConfig,
  ) {}

  private key(nodeId: string): string {
    return [this.config.QUEUE_PREFIX, 'diag', 'up', nodeId].join(':');
  }

  async mark(nodeId: string, at: Date): Promise<void> {
    await this.redis.set(this.key(nodeId), String(at.getTime()), 'EX', TTL_S);
  }

  /** The last UP time (ms) of each node, in order; undefined where none is remembered. */
  async read(ids: readonly string[]): Promise<(number | undefined)[]> {
    const out: (number | undefined)[] = [];
    for (let i = 0; i < ids.length; i += MGET_CHUNK) {
      const chunk = ids.slice(i, i + MGET_CHUNK);
      for (const v of await this.redis.mget(chunk.map((id) => this.key(id)))) out.push(v ? Number(v) : undefined);
    }
    return out;
  }

  /** Of these nodes, those seen UP after `since`, with that UP's time. */
  async upAfter(ids: readonly string[], since: Date): Promise<Map<string, Date>> {
    const times = await this.read(ids);
    const out = new Map<string, Date>();
    ids.forEach((id, i) => {
      if ((times[i] ?? -Infinity) > since.getTime()) out.set(id, new Date(times[i]!));
    });
    return out;
  }
}
