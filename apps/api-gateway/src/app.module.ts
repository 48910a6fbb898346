import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, QueueName } from '@isp/domain';
import type { ApiGatewayConfig } from './config/api-gateway.config';

@Module({})
export class AppModule {
  static forRoot(config: ApiGatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ appName: 'api-gateway', config, queues: [QueueName.SYNC, QueueName.LIVE_CHECK, QueueName.NOTIFICATION] })],
    };
  }
}
