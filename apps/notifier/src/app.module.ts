import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@isp/platform';
import { QueueName } from '@isp/domain';
import { AlertingModule } from './alerting/alerting.module';
import type { NotifierConfig } from './config/notifier.config';

@Module({})
export class AppModule {
  static forRoot(config: NotifierConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          appName: 'notifier',
          config,
          queues: [QueueName.NOTIFICATION],
        }),
        AlertingModule,
      ],
    };
  }
}
