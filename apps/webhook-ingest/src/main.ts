import 'reflect-metadata';
import { bootstrapApp, exitOnConfigError } from '@isp/platform';
import { AppModule } from './app.module';
import { loadWebhookIngestConfig, type WebhookIngestConfig } from './config/webhook-ingest.config';
import { ingestHttpOptions } from './http-options';

async function main() {
  let config: WebhookIngestConfig;
  try {
    config = loadWebhookIngestConfig();
  } catch (err) {
    exitOnConfigError('webhook-ingest', err);
  }
  await bootstrapApp(AppModule.forRoot(config), { config, broadcasts: true, ...ingestHttpOptions(config) });
}

void main();
