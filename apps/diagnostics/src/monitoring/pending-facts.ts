import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { QueueName } from '@isp/domain';
import { JobProducer, PLATFORM_REDIS } from '@isp/platform';
import { DiagnosticsConfig } from '../config/diagnostics.config';
import { UpMarks } from '../incidents/up-marks.service';

/**
 * DOWN facts waiting out the hold-down, in Redis so whichever replica runs the batch sees them:
 * one hash per router (node id -> first time it was reported down). A batch moves the hash to
 * a key of its own job first, so a retry of that job finds the same facts and events arriving
 * meanwhile start a fresh hash. A batch whose job gave up for good (a database outage longer
 * than its retries) leaves its hash behind: the router's next batch adopts it.
 */
@Injectable()
export class PendingFacts {
  constructor(
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    private readonly config: DiagnosticsConfig,
    private readonly ups: UpMarks,
  ) {}

  private key(...parts: string[]): string {
    return [this.config.QUEUE_PREFIX, 'diag', ...parts].join(':');
  }

  /** Returns how many nodes the router's pending hash holds now. */
  async add(routerId: string, nodeId: string, at: Date): Promise<number> {
    // The earliest report of the node's DOWN wins, whatever order they are handled in: a webhook
    // retried through a database outage may come after a reconcile DOWN read later.
    return (await this.redis.eval(ADD_EARLIEST, 1, this.key('pending', routerId), nodeId, String(at.getTime()), String(DAY_MS))) as number;
  }

  /** True when a held DOWN for the node was waiting (the UP cancels it: churn). */
  async remove(routerId: string, nodeId: string): Promise<boolean> {
    return (await this.redis.hdel(this.key('pending', routerId), nodeId)) === 1;
  }

  /** The nodes held for the router's next batch (not yet taken by one). */
  async heldNodes(routerId: string): Promise<string[]> {
    return this.redis.hkeys(this.key('pending', routerId));
  }

  /**
   * The nodes whose DOWN is on its way: held for the router's next batch, or in a batch not done
   * yet (its job waiting, running or retrying; not one given up for good, whose facts wait for the
   * next batch to adopt them).
   */
  async inFlight(routerId: string, abandoned: (batchId: string) => Promise<boolean>): Promise<Set<string>> {
    const out = new Set(await this.heldNodes(routerId));
    for (const batchId of await this.redis.smembers(this.key('batches', routerId))) {
      if (await abandoned(batchId)) continue;
      for (const id of await this.redis.hkeys(this.key('batch', routerId, batchId))) out.add(id);
    }
    return out;
  }

  /**
   * Claims the router's one early batch for this window (BURST_MIN_NODES): true for the first
   * replica to ask, false for the others and for later bursts until `windowMs` has passed.
   */
  async claimBurst(routerId: string, windowMs: number): Promise<boolean> {
    return (await this.redis.set(this.key('burst', routerId), '1', 'PX', Math.max(1, windowMs), 'NX')) === 'OK';
  }

  async burstClaimed(routerId: string): Promise<boolean> {
    return (await this.redis.exists(this.key('burst', routerId))) === 1;
  }

  /** When the held DOWN of a node was reported (ms), if one is held. */
  async heldSince(routerId: string, nodeId: string): Promise<number | undefined> {
    const v = await this.redis.hget(this.key('pending', routerId), nodeId);
    return v ? Number(v) : undefined;
  }

  /** Remembers the last UP, so a DOWN fact older than it is not applied by a late batch. */
  async markUp(nodeId: string, at: Date): Promise<void> {
    await this.ups.mark(nodeId, at);
  }

  /**
   * Takes the router's facts for one batch (idempotent per job id), with those of earlier
   * batches of the router whose job will not run again (`abandoned(batchId)`, e.g. failed for good).
   */
  async take(routerId: string, batchId: string, abandoned: (batchId: string) => Promise<boolean> = async () => false): Promise<Map<string, Date>> {
    const batchKey = this.key('batch', routerId, batchId);
    if (!(await this.redis.exists(batchKey))) {
      await this.redis.rename(this.key('pending', routerId), batchKey).catch(ignoreNoSuchKey);
    }
    // Known as a batch of the router until done(): a later batch adopts it if this job gives up.
    await this.redis.multi().sadd(this.key('batches', routerId), batchId).pexpire(this.key('batches', routerId), DAY_MS).exec();
    await this.adoptLeftovers(routerId, batchId, batchKey, abandoned);
    const raw = await this.redis.hgetall(batchKey);
    const ids = Object.keys(raw);
    const ups = await this.ups.read(ids);
    const facts = new Map<string, Date>();
    ids.forEach((id, i) => {
      const at = Number(raw[id]);
      if (!(ups[i] !== undefined && ups[i]! >= at)) facts.set(id, new Date(at));
    });
    await this.earliestAcrossBatches(routerId, batchId, facts);
    return facts;
  }

  /**
   * Another batch of the router may still hold earlier reports of the same nodes (its job retrying
   * through a database outage while this one runs on what came after, e.g. reconcile DOWNs): the
   * earliest report dates the outage, whichever batch gets to record it.
   */
  private async earliestAcrossBatches(routerId: string, batchId: string, facts: Map<string, Date>): Promise<void> {
    if (!facts.size) return;
    const others = (await this.redis.smembers(this.key('batches', routerId))).filter((id) => id !== batchId);
    for (const other of others) {
      const held = await this.redis.hgetall(this.key('batch', routerId, other));
      for (const [id, t] of Object.entries(held)) {
        const mine = facts.get(id);
        if (mine && Number(t) < mine.getTime()) facts.set(id, new Date(Number(t)));
      }
    }
  }

  /** Nodes of a batch whose UP arrived after their DOWN fact (e.g. while the batch was probing), with that UP's time. */
  async upsAfter(facts: Map<string, Date>): Promise<Map<string, Date>> {
    const ids = [...facts.keys()];
    const ups = await this.ups.read(ids);
    const out = new Map<string, Date>();
    ids.forEach((id, i) => {
      if (ups[i] !== undefined && ups[i]! >= facts.get(id)!.getTime()) out.set(id, new Date(ups[i]!));
    });
    return out;
  }

  async done(routerId: string, batchId: string): Promise<void> {
    await this.redis.multi().del(this.key('batch', routerId, batchId)).srem(this.key('batches', routerId), batchId).exec();
  }

  /**
   * Moves the facts of abandoned batches of the router into this one, keeping each node's
   * earliest time: one script per batch (ADOPT), so two batches running at once never both take it.
   */
  private async adoptLeftovers(routerId: string, batchId: string, batchKey: string, abandoned: (batchId: string) => Promise<boolean>): Promise<void> {
    const set = this.key('batches', routerId);
    const others = (await this.redis.smembers(set)).filter((id) => id !== batchId);
    for (const other of others) {
      if (!(await abandoned(other))) continue;
      await this.redis.eval(ADOPT, 3, set, batchKey, this.key('batch', routerId, other), other, String(DAY_MS));
    }
  }
}

const DAY_MS = 24 * 3600 * 1000;

/** A batch whose diagnose job will not run again (failed for good, or gone): its facts are the next batch's. */
export function batchAbandoned(producer: JobProducer): (batchId: string) => Promise<boolean> {
  return async (batchId) => {
    const state = await producer.queue(QueueName.MONITORING).getJobState(batchId);
    return state === 'failed' || state === 'completed' || state === 'unknown';
  };
}

/** KEYS: the router's pending hash. ARGV: node id, time (ms), the hash TTL. Keeps the smaller time; returns the hash's size. */
const ADD_EARLIEST = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if not cur or tonumber(ARGV[2]) < tonumber(cur) then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return redis.call('HLEN', KEYS[1])
`;

/** KEYS: the router's batch set, this batch's hash, the abandoned one's. ARGV: its id, the hash TTL. */
const ADOPT = `
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return 0 end
local t = redis.call('HGETALL', KEYS[3])
for i = 1, #t, 2 do
  local cur = redis.call('HGET', KEYS[2], t[i])
  if not cur or tonumber(t[i + 1]) < tonumber(cur) then redis.call('HSET', KEYS[2], t[i], t[i + 1]) end
end
redis.call('DEL', KEYS[3])
if #t > 0 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
return #t / 2
`;

function ignoreNoSuchKey(err: Error): void {
  if (!/no such key/i.test(err.message)) throw err;
}
