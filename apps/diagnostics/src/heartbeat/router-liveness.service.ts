import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { PLATFORM_REDIS } from '@isp/platform';
import { DiagnosticsConfig } from '../config/diagnostics.config';

/**
 * What tells a router alive besides its API: the last webhook it posted (any status event), and
 * since when its API has not answered. In Redis, shared by every replica; the heartbeat reads
 * them to judge a silent API (libs/domain router-silence).
 */
@Injectable()
export class RouterLiveness {
  constructor(
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    private readonly config: DiagnosticsConfig,
  ) {}

  private key(kind: 'event' | 'failing', routerId: string): string {
    return `${this.config.QUEUE_PREFIX}:diag:router-${kind}:${routerId}`;
  }

  private get ttlSec(): number {
    return Math.ceil((this.config.ROUTER_ALIVE_WINDOW_MS + this.config.ROUTER_SILENCE_CONFIRM_MS + this.config.HEARTBEAT_INTERVAL_MS * 5) / 1000);
  }

  async eventSeen(routerId: string, at: Date): Promise<void> {
    await this.redis.set(this.key('event', routerId), String(at.getTime()), 'EX', this.ttlSec);
  }

  async lastEventAt(routerId: string): Promise<number | undefined> {
    const v = await this.redis.get(this.key('event', routerId));
    return v ? Number(v) : undefined;
  }

  /** Start of this run of failed API checks (set by the first). */
  async failing(routerId: string, now: Date): Promise<number> {
    const key = this.key('failing', routerId);
    await this.redis.set(key, String(now.getTime()), 'EX', this.ttlSec, 'NX');
    return Number((await this.redis.get(key)) ?? now.getTime());
  }

  async answered(routerId: string): Promise<void> {
    await this.redis.del(this.key('failing', routerId));
  }
}
