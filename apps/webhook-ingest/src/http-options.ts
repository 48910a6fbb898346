import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyServerFactory } from 'fastify';
import { createServer, type IncomingMessage, type ServerOptions, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { WEBHOOK_KINDS, webhookPath } from '@isp/domain';
import { type BootstrapOptions } from '@isp/platform';
import { parseAddressList, type WebhookIngestConfig } from './config/webhook-ingest.config';
import { createWebhookRoutes } from './ingest/webhook.routes';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
/** The server options Fastify fills in with its defaults before it calls the server factory. */
type FastifyTimeouts = { keepAliveTimeout: number; requestTimeout: number; connectionTimeout: number; http?: ServerOptions };

const WEBHOOK_PATHS = new Set(WEBHOOK_KINDS.map(webhookPath));

/** A webhook POST (the exact path; the query string, if any, does not count). */
function isWebhook(req: IncomingMessage): boolean {
  if (req.method !== 'POST' || !req.url) return false;
  const q = req.url.indexOf('?');
  return WEBHOOK_PATHS.has(q < 0 ? req.url : req.url.slice(0, q));
}

/**
 * The edge's HTTP server: webhook POSTs go to the webhook routes (a bare Fastify instance, see
 * webhook.routes.ts), everything else (health, metrics, unknown paths) to Nest's Fastify. Nest's
 * instance keeps the body limit, trusted proxies (`request.ip` believes X-Forwarded-For only from
 * TRUSTED_PROXIES) and the request id, so both halves answer alike.
 */
export function ingestHttpOptions(config: WebhookIngestConfig): Pick<BootstrapOptions, 'fastify' | 'configure'> {
  const proxies = parseAddressList(config.TRUSTED_PROXIES);
  let webhooks: Handler | null = null;
  return {
    fastify: {
      bodyLimit: config.WEBHOOK_BODY_LIMIT_BYTES,
      trustProxy: proxies.length ? proxies : false,
      // One request id for Fastify, pino-http (it reuses req.id) and the JSON errors.
      requestIdHeader: 'x-request-id',
      genReqId: () => randomUUID(),
      serverFactory: ((nest: Handler, opts: FastifyTimeouts) => {
        const server = createServer(opts.http ?? {}, (req, res) => (webhooks && isWebhook(req) ? webhooks(req, res) : nest(req, res)));
        // Fastify's own settings, as it applies them to a server it creates itself.
        server.keepAliveTimeout = opts.keepAliveTimeout;
        server.requestTimeout = opts.requestTimeout;
        server.setTimeout(opts.connectionTimeout);
        return server;
      }) as FastifyServerFactory,
    },
    configure: async (app: NestFastifyApplication) => {
      const routes = await createWebhookRoutes(app, config);
      webhooks = routes.routing;
      app.getHttpAdapter().getInstance().addHook('onClose', () => routes.close());
    },
  };
}
