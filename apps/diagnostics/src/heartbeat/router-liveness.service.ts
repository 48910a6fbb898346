import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { lastWebhookKey, type WebhookKind } from '@isp/domain';
import { PLATFORM_REDIS, tryLockMany, unlockMany } from '@isp/platform';
import { DiagnosticsConfig } from '../config/diagnostics.config';

/**
 * What tells a router alive besides its API: the last webhook it posted (any status event), since
 * when its API has not answered, and when it last answered after not answering. In Redis, shared
 * by every replica; the heartbeat reads them to judge a silent API (libs/domain router-silence),
 * and holds the router's check key so that two checks of one router never judge it at once.
 */
@Injectable()
export class RouterLiveness {
  constructor(
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    private readonly config: DiagnosticsConfig,
  ) {}

  private key(kind: 'event' | 'failing' | 'answered' | 'check', routerId: string): string {
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

  /** Its API answered at `at`: the run of failures is over, and a verdict from a check begun before `at` is out of date. */
  async answered(routerId: string, at: Date): Promise<void> {
    await this.redis.pipeline().del(this.key('failing', routerId)).set(this.key('answered', routerId), String(at.getTime()), 'EX', this.ttlSec).exec();
  }

  async answeredAt(routerId: string): Promise<number | undefined> {
    const v = await this.redis.get(this.key('answered', routerId));
    return v ? Number(v) : undefined;
  }

  /**
   * One check of a router at a time, across replicas: a token for each router claimed, none for a
   * router that another check holds (the tick's check and a delayed look again can meet). Two at
   * once would judge on probes of different moments, and the later write could undo the fresher
   * finding. The hold outlasts a check's two probes with their retries; it only bounds a replica
   * that dies holding it. One round trip for a heartbeat batch.
   */
  async claimChecks(routerIds: readonly string[]): Promise<Map<string, string>> {
    const probesMs = 2 * this.config.PROBE_ATTEMPTS * (this.config.PROBE_TIMEOUT_MS + this.config.PROBE_RETRY_DELAY_MS);
    const tokens = await tryLockMany(this.redis, routerIds.map((id) => this.key('check', id)), probesMs + this.config.HEARTBEAT_INTERVAL_MS);
    return new Map(routerIds.flatMap((id, i) => (tokens[i] ? [[id, tokens[i]] as const] : [])));
  }

  releaseChecks(tokens: ReadonlyMap<string, string>): Promise<void> {
    return unlockMany(this.redis, [...tokens].map(([id, token]) => ({ key: this.key('check', id), token })));
  }
}
