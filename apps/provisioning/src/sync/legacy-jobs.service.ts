import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { JobName, PermanentError, QueueName } from '@isp/domain';
import { SubscriberRepository } from '@isp/data';
import { JobProducer, PLATFORM_REDIS } from '@isp/platform';
import { SubscriberSyncService, type SyncOutcome } from './subscriber-sync.service';

const OBJECT_ID = /^[a-f0-9]{24}$/i;

/** What the old system's jobs mean: these two change the desired state before syncing. */
const SUSPENDS: Record<string, boolean> = { disconnectUser: true, connectUser: false };

/**
 * Jobs as the old system (and billing systems written against it) still send them:
 * `addUser`/`updateUser` re-apply the subscriber, `disconnectUser`/`connectUser` suspend and
 * unsuspend it in the database and then apply. Payloads name the subscriber by `userId`, `id`,
 * `_id` or `username` (+ optional `routerId`); anything else fails once, permanently, saying why.
 */
@Injectable()
export class LegacyJobsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(LegacyJobsService.name);

  constructor(
    private readonly users: SubscriberRepository,
    private readonly sync: SubscriberSyncService,
    private readonly producer: JobProducer,
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
  ) {}

  async run(jobName: string, data: unknown): Promise<SyncOutcome> {
    const userId = await this.resolveUserId(jobName, data);
    const isSuspended = SUSPENDS[jobName];
    if (isSuspended !== undefined) {
      const u = await this.users.writeDesiredState(userId, { isSuspended });
      if (!u) throw new PermanentError(`${jobName}: subscriber ${userId} does not exist`, 'NOT_FOUND');
      this.logger.log({ msg: `legacy ${jobName}: subscriber ${isSuspended ? 'suspended' : 'unsuspended'} in the database`, userId, username: u.username });
    }
    return this.sync.syncUser(userId);
  }

  async resolveUserId(jobName: string, data: unknown): Promise<string> {
    const bad = (why: string) => new PermanentError(`${jobName}: invalid payload: ${why}`, 'INVALID_PAYLOAD');
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw bad(`expected an object with userId, id or username, got ${JSON.stringify(data)?.slice(0, 60)}`);
    const d = data as Record<string, unknown>;
    const raw = d.userId ?? d.id ?? d._id;
    if (raw !== undefined) {
      const id = typeof raw === 'string' || (typeof raw === 'object' && raw !== null) ? String(raw) : '';
      if (!OBJECT_ID.test(id)) throw bad(`subscriber id ${JSON.stringify(raw)?.slice(0, 60)} is not an ObjectId`);
      return id;
    }
    if (typeof d.username !== 'string' || !d.username) throw bad('no userId, id or username');
    const found = (await this.users.findByUsername(d.username)).filter((u) => d.routerId === undefined || String(u.router) === String(d.routerId));
    if (!found.length) throw new PermanentError(`${jobName}: no subscriber named ${d.username}`, 'NOT_FOUND');
    if (found.length > 1) throw bad(`username ${d.username} exists on several routers; send userId or routerId`);
    return String(found[0]._id);
  }

  /**
   * The old system scheduled `reconcileMikrotikState` as BullMQ repeatable jobs. This version's
   * BullMQ neither runs nor lists them (it throws on their keys), so their entries are removed
   * from the queue's `repeat` set at start-up, with the delayed job each one left behind.
   */
  async onApplicationBootstrap(): Promise<void> {
    const queue = this.producer.queue(QueueName.SYNC);
    const repeatKey = queue.toKey('repeat');
    const prefix = `${JobName.RECONCILE_ROUTER}:`;
    const legacy = (await this.redis.zrange(repeatKey, '0', '-1')).filter((k) => k.startsWith(prefix) && k.split(':').length >= 5);
    if (!legacy.length) return;
    await this.redis.zrem(repeatKey, ...legacy);
    let delayed = 0;
    for (const job of await queue.getDelayed()) {
      if (job.name === JobName.RECONCILE_ROUTER && job.id?.startsWith('repeat:')) {
        await job.remove();
        delayed++;
      }
    }
    this.logger.warn({ msg: 'removed the old system\'s repeatable reconcile schedules (the reconcile scheduler replaces them)', schedules: legacy, delayedJobs: delayed });
  }
}
