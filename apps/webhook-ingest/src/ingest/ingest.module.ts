import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { IngestMetrics } from '../metrics/ingest-metrics.service';
import { MetricsController } from '../metrics/metrics.controller';
import { StatusEventProducer } from '../queue/status-event.producer';
import { RouterCacheService } from '../routers/router-cache.service';
import { RouterChangesController } from '../routers/router-changes.controller';
import { WebhookAuthGuard } from './webhook-auth.guard';
import { WebhookExceptionFilter } from './webhook-exception.filter';
import { WebhookIngestService } from './webhook-ingest.service';
import { WebhookController } from './webhook.controller';

@Module({
  controllers: [WebhookController, RouterChangesController, MetricsController],
  providers: [
    RouterCacheService,
    StatusEventProducer,
    IngestMetrics,
    WebhookIngestService,
    WebhookAuthGuard,
    { provide: APP_FILTER, useClass: WebhookExceptionFilter },
  ],
})
export class IngestModule {}
