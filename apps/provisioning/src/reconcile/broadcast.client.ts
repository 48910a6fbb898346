import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { Broadcast, type RouterChangedMessage } from '@isp/domain';
import { PLATFORM_CONFIG, redisOptionsFromUrl, type CommonEnv } from '@isp/platform';
import { lastValueFrom } from 'rxjs';

/** Publishes broadcasts on Nest's Redis transport (every replica of every subscribed app hears them). */
@Injectable()
export class BroadcastClient implements OnApplicationShutdown {
  private client?: ClientProxy;

  constructor(@Inject(PLATFORM_CONFIG) private readonly config: CommonEnv) {}

  async routerChanged(msg: RouterChangedMessage): Promise<void> {
    this.client ??= ClientProxyFactory.create({ transport: Transport.REDIS, options: redisOptionsFromUrl(this.config.REDIS_URL) });
    await lastValueFrom(this.client.emit(Broadcast.ROUTER_CHANGED, msg), { defaultValue: undefined });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.close();
  }
}
