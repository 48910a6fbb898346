import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { PLATFORM_REDIS } from '@isp/platform';
import { type NodeState } from '@isp/domain';
import { DiagnosticsConfig } from '../config/diagnostics.config';

/**
 * The observed state of each core router as last written to MongoDB, mirrored in Redis so a
 * heartbeat that finds a router as it was can skip reading the router record: with 1,000
 * routers per minute that read was most of the heartbeat's cost on the store. Shared by every
 * replica (an in-memory copy would go stale when another replica records a change); written
 * right after every router state write, and a miss or an error falls back to the database.
 */
@Injectable()
export class RouterStateCache {
  constructor(
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    private readonly config: DiagnosticsConfig,
  ) {}

  private key(routerId: string): string {
    return `${this.config.QUEUE_PREFIX}:diag:router-state:${routerId}`;
  }

  /** Long enough to span several heartbeats, short enough that a lost write heals by itself. */
  private get ttlSec(): number {
    return Math.max(60, Math.ceil((this.config.HEARTBEAT_INTERVAL_MS * 5) / 1000));
  }

  /** Routers' entries in one round trip (the heartbeat's batch); a miss or an error reads as null. */
  async getMany(routerIds: readonly string[]): Promise<Map<string, NodeState | null>> {
    if (!routerIds.length) return new Map();
    const states = await this.redis.mget(routerIds.map((id) => this.key(id))).catch(() => routerIds.map(() => null));
    return new Map(routerIds.map((id, i) => [id, (states[i] as NodeState | null) ?? null]));
  }

  /** After a state write. If it fails the key stays forgotten and readers use the database. */
  async set(routerId: string, state: NodeState): Promise<void> {
    await this.redis.set(this.key(routerId), state, 'EX', this.ttlSec).catch(() => undefined);
  }

  /**
   * Before a state write: a reader between the write and the refresh falls back to the database.
   * Not swallowed: a stale entry left behind would hide the change, so the job fails and retries.
   */
  async forget(routerId: string): Promise<void> {
    await this.redis.del(this.key(routerId));
  }
}
