import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@isp/platform';
import { QueueName } from '@isp/domain';
import type { WebhookIngestConfig } from './config/webhook-ingest.config';
import { IngestModule } from './ingest/ingest.module';

@Module({})
export class AppModule {
  static forRoot(config: WebhookIngestConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ appName: 'webhook-ingest', config, queues: [QueueName.MONITORING] }), IngestModule],
    };
  }
}
