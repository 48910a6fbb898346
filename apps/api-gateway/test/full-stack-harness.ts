// The whole system in one process for the full-stack e2e spec: webhook-ingest, provisioning,
// diagnostics, notifier and the api-gateway, each from its own AppModule.forRoot on port 0,
// sharing one database, one Redis and one queue prefix (as the deployed apps share them), in
// front of a simulated RouterOS router. The spec talks to the gateway over HTTP only; the
// router side is the simulator (its snitch scripts post to the running ingest).
import type { INestApplication } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootstrapApp, queueOnUrl } from '@isp/platform';
import { QueueName, SecretBox, type DashboardFeedMessage } from '@isp/domain';
import { SimulatedRouter } from '@isp/routeros-testing';
import type { JobType, Queue } from 'bullmq';
import type { Connection } from 'mongoose';
import { testMongoUrl, testQueuePrefix, testRedisUrl, unfinishedJobs, waitFor } from '../../../test/support';
import { AppModule as DiagnosticsModule } from '../../diagnostics/src/app.module';
import { loadDiagnosticsConfig } from '../../diagnostics/src/config/diagnostics.config';
import { AppModule as NotifierModule } from '../../notifier/src/app.module';
import { loadNotifierConfig } from '../../notifier/src/config/notifier.config';
import { AppModule as ProvisioningModule } from '../../provisioning/src/app.module';
import { loadProvisioningConfig } from '../../provisioning/src/config/provisioning.config';
import { AppModule as IngestModule } from '../../webhook-ingest/src/app.module';
import { loadWebhookIngestConfig } from '../../webhook-ingest/src/config/webhook-ingest.config';
import { ingestHttpOptions } from '../../webhook-ingest/src/http-options';
import { loadApiGatewayConfig } from '../src/config/api-gateway.config';
import { startGateway } from '../src/gateway';
import type { HttpResult } from './gateway-harness';

export const FIRST_ADMIN_EMAIL = 'root@isp.test';
export const FIRST_ADMIN_PASSWORD = 'first admin password 1';

function portOf(app: INestApplication): number {
  return ((app as NestFastifyApplication).getHttpServer().address() as { port: number }).port;
}

/** A server-sent-events stream read with fetch and a reader; events parsed as they arrive. */
export class FeedReader {
  readonly events: { event: string; data: DashboardFeedMessage }[] = [];
  private readonly abort = new AbortController();
  private done: Promise<void> = Promise.resolve();

  async open(url: string, token: string): Promise<number> {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: this.abort.signal });
    if (!res.ok || !res.body) return res.status;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    this.done = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        // Events are separated by a blank line; a partial event stays in the buffer.
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: ?(.*)$/m.exec(block)?.[1] ?? 'message';
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.replace(/^data: ?/, ''))
            .join('\n');
          if (!data) continue;
          try {
            this.events.push({ event, data: JSON.parse(data) as DashboardFeedMessage });
          } catch {
            /* a keep-alive or a non-JSON line */
          }
        }
      }
    })().catch(() => undefined);
    return res.status;
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}

export interface FullStack {
  sim: SimulatedRouter;
  gateway: NestFastifyApplication;
  ingest: INestApplication;
  provisioning: INestApplication;
  diagnostics: INestApplication;
  notifier: INestApplication;
  baseUrl: string;
  ingestUrl: string;
  /** the first admin's JWT (logged in over HTTP with the config's ADMIN_EMAIL/ADMIN_PASSWORD) */
  token: string;
  request(method: string, url: string, body?: unknown, token?: string): Promise<HttpResult>;
  /** true when no queue has work waiting, held or running (nothing can still touch the router) */
  idle(): Promise<boolean>;
  /**
   * Waits until the webhooks the simulator's scripts started have been answered and every queue
   * is idle. Specs settle before an API write to a record the workers may also be writing:
   * FerretDB (the local MongoDB stand-in) applies an update by rewriting the whole document, so
   * two concurrent updates of one document can lose one of them; MongoDB would not.
   */
  settle(message?: string): Promise<void>;
  close(): Promise<void>;
}

export interface FullStackOptions {
  name: string;
  /**
   * Simulator: a kicked or cut-off subscriber dials again after this long. Over a second by
   * default: status-event jobs are deduplicated on the router's clock, which has one-second
   * resolution, so an "up" in the same second as the previous "up" of that user is dropped.
   */
  pppRedialMs?: number;
  provisioning?: Record<string, string>;
  diagnostics?: Record<string, string>;
  gateway?: Record<string, string>;
  /** every app's log level ('info' shows their JSON logs when a run needs explaining) */
  logLevel?: string;
  /** another Redis than the test run's (a Redis Cluster's seed list) and a prefix that suits it ("{...}") */
  redisUrl?: string;
  queuePrefix?: string;
}

export async function startFullStack(o: FullStackOptions): Promise<FullStack> {
  const shared = {
    MONGO_URL: testMongoUrl(o.name),
    REDIS_URL: o.redisUrl ?? testRedisUrl(),
    QUEUE_PREFIX: o.queuePrefix ?? testQueuePrefix(o.name),
    // One key set for every app: the gateway encrypts router passwords that provisioning and
    // diagnostics decrypt.
    SECRETS_KEYS: SecretBox.generateKey('fs1'),
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: o.logLevel ?? 'silent',
    SHUTDOWN_GRACE_MS: '1000',
  };
  const started: INestApplication[] = [];
  const queues: Queue[] = [];
  let sim: SimulatedRouter | undefined;
  const close = async () => {
    const gatewayApp = started.at(-1);
    const conn = gatewayApp?.get<Connection>(getConnectionToken());
    await conn?.dropDatabase().catch(() => undefined);
    // Gateway first (it produces), then the workers, then the router they talk to.
    for (const app of [...started].reverse()) await app.close().catch(() => undefined);
    await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
    await sim?.stop();
  };

  try {
    const router = await SimulatedRouter.start({ name: 'core-tn', pppRedialMs: o.pppRedialMs ?? 1100 });
    sim = router;

    const ingestConfig = loadWebhookIngestConfig({ ...shared, UNKNOWN_ROUTER_RELOAD_INTERVAL_MS: '200' });
    const ingest = await bootstrapApp(IngestModule.forRoot(ingestConfig), { config: ingestConfig, broadcasts: true, ...ingestHttpOptions(ingestConfig) });
    started.push(ingest);
    const ingestUrl = `http://127.0.0.1:${portOf(ingest)}`;

    const provisioningConfig = loadProvisioningConfig({
      ...shared,
      INGEST_PUBLIC_URL: ingestUrl,
      RECONCILE_SCHEDULER: 'false',
      ROUTER_CALL_TIMEOUT_MS: '3000',
      ROUTER_CONNECT_TIMEOUT_MS: '1000',
      ROUTER_BREAKER_COOLDOWN_MS: '500',
      ...o.provisioning,
    });
    const provisioning = await bootstrapApp(ProvisioningModule.forRoot(provisioningConfig), { config: provisioningConfig, broadcasts: true });
    started.push(provisioning);

    const diagnosticsConfig = loadDiagnosticsConfig({
      ...shared,
      HOLD_DOWN_MS: '300',
      HEARTBEAT_ENABLED: 'false',
      PROBE_CACHE_MS: '1000',
      PROBE_RETRY_DELAY_MS: '50',
      PROBE_TIMEOUT_MS: '1500',
      PROBE_PING_INTERVAL_MS: '10',
      PROBE_BREAKER_COOLDOWN_MS: '200',
      LIVE_CHECK_HOP_TIMEOUT_MS: '1000',
      ...o.diagnostics,
    });
    const diagnostics = await bootstrapApp(DiagnosticsModule.forRoot(diagnosticsConfig), { config: diagnosticsConfig, broadcasts: true });
    started.push(diagnostics);

    // No contacts are configured: the notifier routes and records, and feeds the dashboard.
    const notifierConfig = loadNotifierConfig({ ...shared, SMS_PROVIDER: 'none', DELIVERY_BACKOFF_MS: '200' });
    const notifier = await bootstrapApp(NotifierModule.forRoot(notifierConfig), { config: notifierConfig });
    started.push(notifier);

    const gatewayConfig = loadApiGatewayConfig({
      ...shared,
      JWT_SECRET: 'full-stack-secret-full-stack-secret-0123',
      ADMIN_EMAIL: FIRST_ADMIN_EMAIL,
      ADMIN_PASSWORD: FIRST_ADMIN_PASSWORD,
      BCRYPT_ROUNDS: '4',
      BULL_BOARD: 'false',
      ...o.gateway,
    });
    const gateway = await startGateway(gatewayConfig);
    started.push(gateway);
    const baseUrl = `http://127.0.0.1:${portOf(gateway)}`;

    for (const name of [QueueName.MONITORING, QueueName.SYNC, QueueName.NOTIFICATION, QueueName.LIVE_CHECK]) {
      queues.push(queueOnUrl(shared.REDIS_URL, name, shared.QUEUE_PREFIX));
    }

    const request: FullStack['request'] = async (method, url, body, token) => {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(baseUrl + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed, headers: Object.fromEntries(res.headers.entries()) };
    };

    // The first admin is created by the gateway at start from its config.
    const login = await waitFor(
      async () => {
        const r = await request('POST', '/api/v1/auth/login', { email: FIRST_ADMIN_EMAIL, password: FIRST_ADMIN_PASSWORD });
        return r.status === 200 ? r : null;
      },
      { timeoutMs: 10000, intervalMs: 100, message: 'first admin can log in' },
    );
    const token = String(login.body.accessToken);
    const authed: FullStack['request'] = (method, url, body, as) => request(method, url, body, as ?? token);

    const idle = async (): Promise<boolean> => {
      for (const q of queues) {
        // Delayed notification jobs are escalation timers (minutes away); they never touch a router.
        const states: JobType[] = q.name === QueueName.NOTIFICATION ? ['waiting', 'active', 'prioritized'] : ['waiting', 'delayed', 'active', 'prioritized', 'waiting-children'];
        if ((await unfinishedJobs(q, states)) > 0) return false;
      }
      return true;
    };

    return {
      sim: router,
      gateway,
      ingest,
      provisioning,
      diagnostics,
      notifier,
      baseUrl,
      ingestUrl,
      token,
      request: authed,
      idle,
      async settle(message = 'queues idle') {
        await router.settled();
        await waitFor(idle, { timeoutMs: 20000, message });
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
