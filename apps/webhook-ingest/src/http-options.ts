import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { parse as parseForm } from 'node:querystring';
import type { BootstrapOptions } from '@isp/domain';
import { parseAddressList, type WebhookIngestConfig } from './config/webhook-ingest.config';

/**
 * Fastify settings of the edge: body limit (413 above it), X-Forwarded-For believed only from
 * TRUSTED_PROXIES (`request.ip` is then the first address not a trusted proxy), the request id, and a parser for
 * bodies sent without a Content-Type (`/tool fetch` without http-header-field): JSON when it
 * looks like an object, form fields otherwise.
 */
export function ingestHttpOptions(config: WebhookIngestConfig): Pick<BootstrapOptions, 'fastify' | 'configure'> {
  const proxies = parseAddressList(config.TRUSTED_PROXIES);
  return {
    fastify: {
      bodyLimit: config.WEBHOOK_BODY_LIMIT_BYTES,
      trustProxy: proxies.length ? proxies : false,
      // One request id for Fastify, pino-http (it reuses req.id) and the JSON errors.
      requestIdHeader: 'x-request-id',
      genReqId: () => randomUUID(),
    },
    configure: (app: NestFastifyApplication) => {
      const fastify = app.getHttpAdapter().getInstance();
      const json = fastify.getDefaultJsonParser('error', 'error');
      fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit: config.WEBHOOK_BODY_LIMIT_BYTES }, (req, body, done) => {
        const text = String(body);
        if (/^\s*[[{]/.test(text)) return json(req, text, done);
        const fields: Record<string, unknown> = { ...parseForm(text) };
        if (Object.hasOwn(fields, '__proto__')) delete fields['__proto__'];
        done(null, fields);
      });
    },
  };
}
