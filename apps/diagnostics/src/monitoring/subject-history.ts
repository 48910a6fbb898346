import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { SubjectEventOrder } from '@isp/domain';
import { PLATFORM_REDIS } from '@isp/platform';
import { DiagnosticsConfig } from '../config/diagnostics.config';

/**
 * libs/domain orderSubjectEvent, made atomic (replicas and concurrent jobs handle events of one
 * subject at once): stores the event unless it is stale; 0 stale, 1 change, 2 repeat.
 */
const OBSERVE = `
local last = redis.call('GET', KEYS[1])
local lastAt, lastEvent
if last then
  local sep = string.find(last, '|', 1, true)
  lastAt = tonumber(string.sub(last, 1, sep - 1))
  lastEvent = string.sub(last, sep + 1)
end
if lastAt and tonumber(ARGV[1]) < lastAt then return 0 end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
if (lastEvent and lastEvent == ARGV[2]) or (not lastEvent and ARGV[2] == 'up') then return 2 end
return 1`;
const ORDER: SubjectEventOrder[] = ['stale', 'change', 'repeat'];

const DAY_MS = 24 * 3600 * 1000;

/**
 * What diagnostics remembers per subject (subscriber, device, router) across events, in Redis so
 * every replica sees it: the time of the last event handled (ordering, defect 6) and the recent
 * state changes and flapping claim (flap detection, defect 7).
 */
@Injectable()
export class SubjectHistory {
  constructor(
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    private readonly config: DiagnosticsConfig,
  ) {}

  private key(...parts: string[]): string {
    return [this.config.QUEUE_PREFIX, 'diag', ...parts].join(':');
  }

  /** Records the event as the subject's last unless a later one was handled: stale, change or repeat. */
  async observe(nodeId: string, at: Date, event: 'up' | 'down'): Promise<SubjectEventOrder> {
    return ORDER[Number(await this.redis.eval(OBSERVE, 1, this.key('last', nodeId), String(at.getTime()), event, String(DAY_MS)))];
  }

  /** Records a state change of the node; returns the change times (ms) still within the flap window. */
  async recordChange(nodeId: string, at: Date, tag: string): Promise<number[]> {
    const key = this.key('changes', nodeId);
    const t = at.getTime();
    const res = await this.redis
      .multi()
      .zadd(key, t, `${t}.${tag}`)
      .zremrangebyscore(key, '-inf', String(t - this.config.FLAP_WINDOW_MS))
      .pexpire(key, this.config.FLAP_WINDOW_MS + this.config.FLAP_QUIET_MS)
      .zrangebyscore(key, '-inf', '+inf', 'WITHSCORES')
      .exec();
    return scores((res?.[3]?.[1] as string[] | undefined) ?? []);
  }

  async changes(nodeId: string): Promise<number[]> {
    return scores(await this.redis.zrangebyscore(this.key('changes', nodeId), '-inf', '+inf', 'WITHSCORES'));
  }

  /** When the node started flapping, if it is flapping. */
  async flappingSince(nodeId: string): Promise<number | null> {
    const v = await this.redis.get(this.key('flapping', nodeId));
    return v === null ? null : Number(v);
  }

  /** Claims the start of a flapping period: true for the one job that gets to announce it. */
  async claimFlapping(nodeId: string, since: number): Promise<boolean> {
    const claimed = (await this.redis.set(this.key('flapping', nodeId), String(since), 'NX')) === 'OK';
    // Listed before the claim can be lost: the periodic check finds every flapping node here.
    await this.redis.sadd(this.key('flapping-nodes'), nodeId);
    return claimed;
  }

  /** Claims the end: true for the one job that gets to announce it. */
  async releaseFlapping(nodeId: string): Promise<boolean> {
    const res = await this.redis.multi().del(this.key('flapping', nodeId)).srem(this.key('flapping-nodes'), nodeId).exec();
    return res?.[0]?.[1] === 1;
  }

  /** The nodes flapping now (or whose end is not announced yet). */
  async flappingNodes(): Promise<string[]> {
    return this.redis.smembers(this.key('flapping-nodes'));
  }
}

function scores(withScores: string[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < withScores.length; i += 2) out.push(Number(withScores[i]));
  return out;
}
