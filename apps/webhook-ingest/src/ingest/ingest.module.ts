import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { IngestMetrics } from '../metrics/ingest-metrics.service';
import { StatusEventProducer } from '../queue/status-event.producer';
import { RouterCacheService } from '../routers/router-cache.service';
import { RouterChangesController } from '../routers/router-changes.controller';
import { WebhookAuthService } from './webhook-auth.service';
import { WebhookExceptionFilter } from './webhook-exception.filter';
import { WebhookIngestService } from './webhook-ingest.service';

/**
 * The webhook routes themselves are not a Nest controller: they are registered on a Fastify
 * instance of their own (webhook.routes.ts, mounted by http-options.ts) and call these services.
 */
@Module({
  controllers: [RouterChangesController],
  providers: [
    RouterCacheService,
    StatusEventProducer,
    IngestMetrics,
    WebhookIngestService,
    WebhookAuthService,
    { provide: APP_FILTER, useClass: WebhookExceptionFilter },
  ],
})
export class IngestModule {}
