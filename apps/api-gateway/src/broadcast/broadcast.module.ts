import { DynamicModule, Module } from '@nestjs/common';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { redisOptionsFromUrl } from '@isp/platform';
import type { ApiGatewayConfig } from '../config/api-gateway.config';
import { BROADCAST_CLIENT } from '../gateway.tokens';
import { Broadcaster } from './broadcaster.service';

@Module({})
export class BroadcastModule {
  static forRoot(config: ApiGatewayConfig): DynamicModule {
    return {
      module: BroadcastModule,
      global: true,
      providers: [
        { provide: BROADCAST_CLIENT, useFactory: () => ClientProxyFactory.create({ transport: Transport.REDIS, options: { ...redisOptionsFromUrl(config.REDIS_URL) } }) },
        Broadcaster,
      ],
      exports: [Broadcaster],
    };
  }
}
