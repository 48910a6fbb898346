// Starts webhook-ingest in-process for e2e specs, seeds routers with tokens, reads the jobs.
import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue, type Job } from 'bullmq';
import { request } from 'node:http';
import { Redis } from 'ioredis';
import { bootstrapApp } from '@isp/platform';
import { issueWebhookToken, JobName, QueueName, SecretBox, type StatusEventJob, webhookPath, type WebhookKind } from '@isp/domain';
import { MikrotikRouterRepository } from '@isp/data';
import { AppModule } from '../src/app.module';
import { loadWebhookIngestConfig, type WebhookIngestConfig } from '../src/config/webhook-ingest.config';
import { ingestHttpOptions } from '../src/http-options';
import { RouterCacheService } from '../src/routers/router-cache.service';

export interface Harness {
  app: INestApplication;
  config: WebhookIngestConfig;
  routers: MikrotikRouterRepository;
  queue: Queue;
  url: string;
  close(): Promise<void>;
}

export async function startIngest(env: Record<string, string>, opts: { broadcasts?: boolean } = {}): Promise<Harness> {
  const config = loadWebhookIngestConfig({
    SECRETS_KEYS: SecretBox.generateKey(),
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const app = await bootstrapApp(AppModule.forRoot(config), { config, broadcasts: opts.broadcasts ?? false, ...ingestHttpOptions(config) });
  const queueConnection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(QueueName.MONITORING, { connection: queueConnection, prefix: config.QUEUE_PREFIX });
  queue.on('error', () => undefined);
  const address = (app as NestFastifyApplication).getHttpServer().address() as { port: number };
  return {
    app,
    config,
    routers: app.get(MikrotikRouterRepository),
    queue,
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      await queue.close().catch(() => undefined);
      queueConnection.disconnect();
      await app.close();
    },
  };
}

let seq = 0;
/** A router with a fresh token, already in the ingest cache. */
export async function seedRouter(h: Harness, extra: { allowedSourceIps?: string[]; name?: string } = {}): Promise<{ id: string; token: string }> {
  const r = await h.routers.create({
    name: extra.name ?? `r-${process.pid}-${++seq}-${Math.random().toString(36).slice(2, 6)}`,
    host: '10.0.0.1',
    apiUser: 'api',
    apiPassword: 'x',
    allowedSourceIps: extra.allowedSourceIps ?? [],
  });
  const id = String(r._id);
  const { token, hash } = issueWebhookToken(id);
  await h.routers.setWebhookTokenHash(id, hash);
  await h.app.get(RouterCacheService).reload();
  return { id, token };
}

export interface Send {
  kind: WebhookKind | string;
  token?: string;
  json?: unknown;
  form?: Record<string, string>;
  raw?: string;
  contentType?: string;
  /** source address of the connection: any 127.x.y.z works on Linux loopback */
  from?: string;
  headers?: Record<string, string>;
}

/** A real HTTP request (light-my-request cannot load under Jest); `from` picks the loopback source address. */
export async function send(h: Harness, s: Send): Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, unknown> }> {
  const headers: Record<string, string> = { ...(s.token !== undefined && { 'x-webhook-token': s.token }), ...s.headers };
  let payload: string | undefined;
  if (s.json !== undefined) {
    payload = JSON.stringify(s.json);
    headers['content-type'] = 'application/json';
  } else if (s.form) {
    payload = new URLSearchParams(s.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (s.raw !== undefined) {
    payload = s.raw;
  }
  if (s.contentType) headers['content-type'] = s.contentType;
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  const url = new URL(webhookPath(s.kind as WebhookKind), h.url);
  const res = await new Promise<{ status: number; text: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, localAddress: s.from ?? '127.0.0.1' }, (r) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (text += c));
      r.on('end', () => resolve({ status: r.statusCode ?? 0, text, headers: r.headers }));
      r.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(res.text);
  } catch {
    body = { text: res.text };
  }
  return { status: res.status, body, headers: res.headers };
}

export async function statusJobs(h: Harness, routerId?: string): Promise<Job<StatusEventJob>[]> {
  const jobs = (await h.queue.getJobs(['waiting', 'prioritized', 'delayed'], 0, -1)) as Job<StatusEventJob>[];
  return jobs.filter((j) => j.name === JobName.STATUS_EVENT && (!routerId || j.data.routerId === routerId));
}

/** The router clock as v7 prints it ("2026-11-28 15:30:01"), in UTC. */
export function routerNow(offsetMs = 0): string {
  return new Date(Date.now() + offsetMs).toISOString().slice(0, 19).replace('T', ' ');
}
