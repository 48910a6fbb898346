import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@isp/platform';
import { QueueName } from '@isp/domain';
import type { ProvisioningConfig } from './config/provisioning.config';
import { SyncModule } from './sync/sync.module';

@Module({})
export class AppModule {
  static forRoot(config: ProvisioningConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ appName: 'provisioning', config, queues: [QueueName.SYNC, QueueName.MONITORING] }), SyncModule],
    };
  }
}
