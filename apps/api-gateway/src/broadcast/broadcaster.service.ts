import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { Broadcast, type RouterChangedMessage, type TopologyChangedMessage } from '@isp/domain';
import { lastValueFrom, timeout } from 'rxjs';
import { BROADCAST_CLIENT } from '../gateway.tokens';

/**
 * Tells every replica of every app that topology or a router changed (Nest Redis transport,
 * pub/sub). A lost broadcast only delays caches until their own refresh, so a failure is logged,
 * not turned into a failed request: the database write already happened.
 */
@Injectable()
export class Broadcaster implements OnApplicationShutdown {
  private readonly logger = new Logger(Broadcaster.name);

  constructor(@Inject(BROADCAST_CLIENT) private readonly client: ClientProxy) {}

  topologyChanged(msg: TopologyChangedMessage): Promise<void> {
    return this.emit(Broadcast.TOPOLOGY_CHANGED, msg);
  }

  routerChanged(msg: RouterChangedMessage): Promise<void> {
    return this.emit(Broadcast.ROUTER_CHANGED, msg);
  }

  private async emit(pattern: Broadcast, data: object): Promise<void> {
    try {
      await lastValueFrom(this.client.emit(pattern, data).pipe(timeout(2000)), { defaultValue: undefined });
    } catch (err) {
      this.logger.warn(`broadcast ${pattern} failed: ${(err as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
