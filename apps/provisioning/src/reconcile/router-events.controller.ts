import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Broadcast, JobName, SyncStatus, type RouterChangedMessage } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { MikrotikRouterRepository } from '@isp/data';
import { RouterConnectionPool } from '@isp/routeros';
import { isLoginBlocked } from '../sync/subscriber-sync.service';

/**
 * Router changes arrive as broadcasts (every replica hears them): each replica drops its pooled
 * connection when the endpoint or credentials changed; the follow-up work goes through BullMQ,
 * deduplicated per router, so it runs once however many replicas there are.
 */
@Controller()
export class RouterEventsController {
  private readonly logger = new Logger(RouterEventsController.name);

  constructor(
    private readonly pool: RouterConnectionPool,
    private readonly routers: MikrotikRouterRepository,
    private readonly producer: JobProducer,
  ) {}

  @EventPattern(Broadcast.ROUTER_CHANGED)
  async onRouterChanged(@Payload() msg: RouterChangedMessage): Promise<void> {
    if (!msg || typeof msg.routerId !== 'string' || !/^[a-f0-9]{24}$/.test(msg.routerId)) return;
    const { routerId, change } = msg;
    switch (change) {
      case 'token':
        // New token: the scripts carry the old one until a router pass re-installs them.
        await this.producer.add(JobName.SYNC_ROUTER, { routerId });
        break;
      case 'credentials':
      case 'updated':
      case 'created': {
        this.pool.unregister(routerId);
        const router = await this.routers.findById(routerId);
        if (router && isLoginBlocked(router)) await this.routers.update(routerId, { syncStatus: SyncStatus.PENDING, syncError: 'credentials changed; re-checking' });
        await this.producer.add(JobName.SYNC_ROUTER, { routerId });
        break;
      }
      case 'removed':
        this.pool.unregister(routerId);
        break;
      default:
        break;
    }
    this.logger.log({ msg: 'router changed', routerId, change });
  }
}
