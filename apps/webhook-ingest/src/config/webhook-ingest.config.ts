import { CommonEnv, loadConfig } from '@isp/domain';

/** webhook-ingest's configuration: the only reader of process.env in this app. */
export class WebhookIngestConfig extends CommonEnv {
  override PORT = 3001;
}

export function loadWebhookIngestConfig(env: Record<string, string | undefined> = process.env): WebhookIngestConfig {
  return loadConfig(WebhookIngestConfig, env);
}
