import { Queue, QueueEvents, type ConnectionOptions } from 'bullmq';
import { bullConnection, closeBullConnection } from '../module/redis-client';

/**
 * A Queue or QueueEvents outside the platform module (CLIs, the gateway's Live Check listener,
 * tests) on REDIS_URL, whatever its mode: on a cluster it gets a Cluster client of its own, which
 * its close() also closes (BullMQ leaves a client it was given open).
 */
class QueueOnUrl extends Queue {
  constructor(
    name: string,
    private readonly connection: ConnectionOptions,
    prefix: string,
  ) {
    super(name, { connection, prefix });
  }

  override async close(): Promise<void> {
    await super.close();
    await closeBullConnection(this.connection);
  }
}

class QueueEventsOnUrl extends QueueEvents {
  constructor(
    name: string,
    private readonly connection: ConnectionOptions,
    prefix: string,
  ) {
    super(name, { connection, prefix });
  }

  override async close(): Promise<void> {
    await super.close();
    await closeBullConnection(this.connection);
  }
}

export function queueOnUrl(redisUrl: string, name: string, prefix: string): Queue {
  return new QueueOnUrl(name, bullConnection(redisUrl, `${name}-queue`), prefix);
}

export function queueEventsOnUrl(redisUrl: string, name: string, prefix: string): QueueEvents {
  return new QueueEventsOnUrl(name, bullConnection(redisUrl, `${name}-events`), prefix);
}
