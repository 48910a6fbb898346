// Stand-ins for the outside world of the notifier: a real SMTP server (smtp-server), one HTTP
// server playing the SMS gateway and the chat webhooks, and the notifier itself started in-process.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import mongoose from 'mongoose';
import { Redis } from 'ioredis';
import { SMTPServer } from 'smtp-server';
import { dashboardFeedChannel, SecretBox, type DashboardFeedMessage, type NotificationFeedData } from '@isp/domain';
import { bootstrapApp } from '@isp/platform';
import { repositoriesOn, type Repositories } from '@isp/data';
import { AppModule } from '../src/app.module';
import { loadNotifierConfig } from '../src/config/notifier.config';

export interface ReceivedMail {
  from: string;
  to: string[];
  messageId: string;
  subject: string;
  raw: string;
}

/** Any address containing "rejected" is refused with 550, like a mailbox that does not exist. */
export class TestSmtpServer {
  readonly mails: ReceivedMail[] = [];
  private server: SMTPServer | null = null;
  port = 0;

  async start(port = 0): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, cb) => (address.address.includes('rejected') ? cb(Object.assign(new Error('5.1.1 mailbox unknown'), { responseCode: 550 })) : cb()),
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'mi').exec(raw)?.[1]?.trim() ?? '';
          this.mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            messageId: header('Message-ID'),
            subject: header('Subject'),
            raw,
          });
          cb();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  to(address: string): ReceivedMail[] {
    return this.mails.filter((m) => m.to.includes(address));
  }
}

export interface SmsRequest {
  to: string;
  text: string;
  idempotencyKey: string;
  authorization: string;
  /** The status the stand-in answered (201 unless a test's smsAnswer said otherwise). */
  status: number;
  /** When the body template carries {{encoding}}. */
  encoding?: string;
}

/** What the SMS stand-in answers instead of 201: a status and body, optionally after holding the answer back. */
export interface SmsAnswer {
  status: number;
  body?: unknown;
  delayMs?: number;
}
export interface ChatRequest {
  hook: string;
  text: string;
  hasBlocks: boolean;
}

/** POST /sms: the generic gateway (JSON); "+15550000000" is an invalid number (400). POST /chat/<hook>: a webhook. */
export class TestHttpGateway {
  readonly sms: SmsRequest[] = [];
  readonly chat: ChatRequest[] = [];
  /** A test's override of the answer to one SMS (null: the normal 201). */
  smsAnswer: ((sms: { to: string; text: string }) => SmsAnswer | null) | null = null;
  private server: Server | null = null;
  port = 0;

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      void readBody(req).then((body) => {
        if (req.url === '/sms') {
          const b = JSON.parse(body) as { to: string; text: string; encoding?: string };
          const override = this.smsAnswer?.(b) ?? null;
          const status = override?.status ?? (b.to === '+15550000000' ? 400 : 201);
          this.sms.push({ to: b.to, text: b.text, idempotencyKey: String(req.headers['idempotency-key'] ?? ''), authorization: String(req.headers.authorization ?? ''), status, encoding: b.encoding });
          if (override) {
            const answer = () => res.writeHead(override.status, { 'content-type': 'application/json' }).end(JSON.stringify(override.body ?? {}));
            if (override.delayMs) setTimeout(answer, override.delayMs);
            else answer();
            return;
          }
          if (b.to === '+15550000000') {
            res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid destination number' }));
            return;
          }
          res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `sms-${this.sms.length}` }));
          return;
        }
        if (req.url?.startsWith('/chat/')) {
          const b = JSON.parse(body) as { text: string; blocks?: unknown[] };
          this.chat.push({ hook: req.url.slice('/chat/'.length), text: b.text, hasBlocks: Array.isArray(b.blocks) });
          res.writeHead(200).end('ok');
          return;
        }
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  smsTo(phone: string, containing?: string): SmsRequest[] {
    return this.sms.filter((s) => s.to === phone && (!containing || s.text.includes(containing)));
  }

  /** SMS the stand-in accepted (2xx with no error override). */
  acceptedTo(phone: string, containing?: string): SmsRequest[] {
    return this.smsTo(phone, containing).filter((s) => s.status >= 200 && s.status < 300);
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Everything published on the dashboard feed while it listens. */
export class FeedListener {
  readonly messages: DashboardFeedMessage[] = [];
  private readonly redis: Redis;

  constructor(
    redisUrl: string,
    private readonly queuePrefix: string,
  ) {
    this.redis = new Redis(redisUrl);
  }

  async start(): Promise<void> {
    this.redis.on('message', (_ch: string, msg: string) => this.messages.push(JSON.parse(msg) as DashboardFeedMessage));
    await this.redis.subscribe(dashboardFeedChannel(this.queuePrefix));
  }

  /** The `notification` messages (what the dashboard channel delivered). */
  notifications(): NotificationFeedData[] {
    return this.messages.flatMap((m) => (m.type === 'notification' ? [m.data] : []));
  }

  async stop(): Promise<void> {
    await this.redis.quit();
  }
}

export function notifierEnv(opts: { mongoUrl: string; redisUrl: string; queuePrefix: string; gateway: TestHttpGateway; smtp: TestSmtpServer }, extra: Record<string, string> = {}) {
  return {
    MONGO_URL: opts.mongoUrl,
    REDIS_URL: opts.redisUrl,
    QUEUE_PREFIX: opts.queuePrefix,
    SECRETS_KEYS: SecretBox.generateKey(),
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    SMS_PROVIDER: 'generic',
    SMS_URL: `${opts.gateway.url}/sms`,
    SMS_AUTH_HEADER: 'Authorization: Bearer test-gateway-key',
    SMS_RATE_LIMIT: '50',
    SMTP_URL: `smtp://127.0.0.1:${opts.smtp.port}`,
    MAIL_FROM: 'NetOps <netops@isp.test>',
    SEND_TIMEOUT_MS: '3000',
    DELIVERY_BACKOFF_MS: '200',
    SHUTDOWN_GRACE_MS: '1000',
    ...extra,
  };
}

export async function startNotifier(env: Record<string, string>): Promise<INestApplication> {
  const config = loadNotifierConfig(env);
  return bootstrapApp(AppModule.forRoot(config), { config });
}

export async function openRepositories(mongoUrl: string): Promise<{ repos: Repositories; close: () => Promise<void> }> {
  const conn = await mongoose.createConnection(mongoUrl).asPromise();
  const repos = repositoriesOn(conn);
  // Indexes (unique idempotency keys among them) must exist before replicas race.
  await Promise.all(Object.values(conn.models).map((m) => m.init()));
  return { repos, close: () => conn.close() };
}
