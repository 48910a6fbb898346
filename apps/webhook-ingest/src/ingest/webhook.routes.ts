import type { INestApplication } from '@nestjs/common';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { parse as parseForm } from 'node:querystring';
import { PinoLogger } from 'nestjs-pino';
import { WEBHOOK_KINDS, webhookPath } from '@isp/domain';
import { parseAddressList, type WebhookIngestConfig } from '../config/webhook-ingest.config';
import { IngestMetrics } from '../metrics/ingest-metrics.service';
import { WebhookAuthService } from './webhook-auth.service';
import { validateWebhookBody } from './webhook-body.validator';
import { WebhookIngestService } from './webhook-ingest.service';
import { decodeFormValue } from './normalise';
import { describeFailure, RejectReason } from './webhook-rejection';

const ACCEPTED = { accepted: true } as const;

/**
 * The three webhook routes, on a bare Fastify instance of their own that shares the app's
 * HTTP server (see http-options.ts). They are the hot path of the edge (thousands of requests a
 * second): Nest's per-request machinery (middleware, router context, guard, pipe, filter,
 * per-request child logger) cost more than the work itself, so these routes call the services
 * directly. What they do, in order: authenticate (401/403/429), validate (400), enqueue (202
 * once stored, 503 if not); every failure is the JSON error of describeFailure().
 */
export async function createWebhookRoutes(app: INestApplication, config: WebhookIngestConfig): Promise<FastifyInstance> {
  const auth = app.get(WebhookAuthService);
  const ingest = app.get(WebhookIngestService);
  const metrics = app.get(IngestMetrics);
  const proxies = parseAddressList(config.TRUSTED_PROXIES);
  const edge = Fastify({
    bodyLimit: config.WEBHOOK_BODY_LIMIT_BYTES,
    // `request.ip` is then the first address that is not a trusted proxy.
    trustProxy: proxies.length ? proxies : false,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
  });
  registerBodyParsers(edge);

  for (const kind of WEBHOOK_KINDS) {
    edge.post(webhookPath(kind), async (request, reply) => {
      const router = await auth.authenticate(request);
      const body = validateWebhookBody(kind, request.body);
      await ingest.accept(kind, router, body);
      return reply.code(202).send(ACCEPTED);
    });
  }

  edge.setErrorHandler((err, request, reply) => {
    const { status, body, headers } = describeFailure(err);
    metrics.rejectedEvent(body.reason);
    if (status >= 500) {
      const log = requestLogger();
      if (body.reason === RejectReason.INTERNAL) log.error({ requestId: request.id, err }, 'webhook failed');
      else log.warn({ requestId: request.id, reason: body.reason }, body.message);
    }
    return reply
      .code(status)
      .headers(headers)
      .send({ ...body, requestId: request.id });
  });

  edge.addHook('onResponse', (request, reply, done) => {
    logRequest(request, reply);
    done();
  });

  await edge.ready();
  return edge;
}

/** The app's root pino logger (nestjs-pino's): same name, level and redaction as every other line. */
function requestLogger() {
  return PinoLogger.root;
}

/**
 * The per-request line pino-http writes for Nest's routes, written here for the webhook routes:
 * failures at warn/error, successes at debug (metrics count them; a line per 202 at thousands a
 * second would cost more than handling it). Headers go through the platform's redaction.
 */
function logRequest(request: FastifyRequest, reply: FastifyReply): void {
  const log = requestLogger();
  const status = reply.statusCode;
  const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'debug';
  if (!log.isLevelEnabled(level)) return;
  const raw = request.raw as typeof request.raw & { id?: string };
  raw.id = String(request.id);
  const responseTime = Math.round(reply.elapsedTime);
  if (status >= 500) log[level]({ req: raw, res: reply.raw, err: new Error(`failed with status code ${status}`), responseTime }, 'request errored');
  else log[level]({ req: raw, res: reply.raw, responseTime }, 'request completed');
}

/**
 * JSON (Fastify's parser: prototype poisoning refused), form fields, and bodies sent without a
 * Content-Type (`/tool fetch` without http-header-field): JSON when it looks like an object,
 * form fields otherwise. Form fields become plain values: a repeated field is an array (refused
 * by validation), `__proto__` is refused as in JSON; their bytes are read as UTF-8, or as the
 * router's win1252 when they are not UTF-8 (decodeFormValue).
 */
function registerBodyParsers(edge: FastifyInstance): void {
  const json = edge.getDefaultJsonParser('error', 'error');
  const form = (text: string, done: (err: Error | null, body?: unknown) => void) => {
    const fields: Record<string, unknown> = { ...parseForm(text, '&', '=', { decodeURIComponent: decodeFormValue }) };
    if (Object.hasOwn(fields, '__proto__')) return done(Object.assign(new Error('Object contains forbidden prototype property'), { statusCode: 400 }));
    done(null, fields);
  };
  edge.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => form(String(body), done));
  edge.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
    const text = String(body);
    if (/^\s*[[{]/.test(text)) return json(req, text, done);
    form(text, done);
  });
}
