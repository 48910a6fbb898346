import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, QueueName } from '@isp/domain';
import type { DiagnosticsConfig } from './config/diagnostics.config';

@Module({})
export class AppModule {
  static forRoot(config: DiagnosticsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ appName: 'diagnostics', config, queues: [QueueName.MONITORING, QueueName.NOTIFICATION, QueueName.LIVE_CHECK, QueueName.SYNC] })],
    };
  }
}
