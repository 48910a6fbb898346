import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { lastWebhookKey, type WebhookKind } from '@isp/domain';
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

  /**
   * Also kept per kind, without expiry, for the coverage report (last webhook by kind): one hash
   * per router, written in the same round trip, so a busy router costs no extra call.
   */
  async eventSeen(routerId: string, at: Date, kind?: WebhookKind): Promise<void> {
    const ms = String(at.getTime());
    const tx = this.redis.pipeline().set(this.key('event', routerId), ms, 'EX', this.ttlSec);
    if (kind) tx.hset(lastWebhookKey(this.config.QUEUE_PREFIX, routerId), kind, ms);
    await tx.exec();
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
