// HTTP stand-ins answering as Twilio's Messages API and Africa's Talking's SMS API document it,
// errors included, for the paging suites. Each records what it was asked.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export abstract class StandIn {
  private server: Server | null = null;
  port = 0;

  protected abstract handle(req: IncomingMessage, body: string): { status: number; body: unknown; contentType?: string };

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const a = this.handle(req, Buffer.concat(chunks).toString('utf8'));
        const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
        res.writeHead(a.status, { 'content-type': a.contentType ?? 'application/json' }).end(text);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}

/** One step of a message's life at Twilio: its status and, for undelivered/failed, the error code. */
export interface TwilioStep {
  status: 'accepted' | 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed';
  errorCode?: number;
}
export interface TwilioMessage {
  sid: string;
  to: string;
  from: string;
  body: string;
  life: TwilioStep[];
  /** Index in `life` of what the last fetch showed. */
  at: number;
  fetches: number;
}

/**
 * Twilio's Messages API: POST .../Messages.json (form, basic auth) answers 201 with the Message
 * resource in `queued`; GET .../Messages/{sid}.json shows the next step of the message's life on
 * each fetch and then stays on the last (queued -> sent -> delivered by default). Wrong
 * credentials: 401 with code 20003; an unknown sid: 404 with code 20404.
 */
export class TwilioStandIn extends StandIn {
  readonly messages: TwilioMessage[] = [];
  /** Each recipient's message life, or a life per message text (default: queued, sent, delivered). */
  readonly lives = new Map<string, TwilioStep[] | ((text: string) => TwilioStep[])>();

  constructor(
    readonly accountSid: string,
    private readonly authToken: string,
  ) {
    super();
  }

  to(phone: string): TwilioMessage[] {
    return this.messages.filter((m) => m.to === phone);
  }

  protected handle(req: IncomingMessage, body: string) {
    const prefix = `/2010-04-01/Accounts/${this.accountSid}/Messages`;
    if (req.headers.authorization !== `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`) {
      return { status: 401, body: { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 } };
    }
    if (req.method === 'POST' && req.url === `${prefix}.json`) {
      const form = new URLSearchParams(body);
      const m: TwilioMessage = {
        sid: `SM${randomBytes(16).toString('hex')}`,
        to: form.get('To') ?? '',
        from: form.get('From') ?? '',
        body: form.get('Body') ?? '',
        life: this.lifeOf(form.get('To') ?? '', form.get('Body') ?? ''),
        at: 0,
        fetches: 0,
      };
      this.messages.push(m);
      return { status: 201, body: this.resource(m, { status: 'queued' }) };
    }
    const fetch = req.method === 'GET' && req.url?.startsWith(`${prefix}/`) && req.url.endsWith('.json') ? req.url.slice(prefix.length + 1, -'.json'.length) : null;
    if (fetch !== null) {
      const m = this.messages.find((x) => x.sid === fetch);
      if (!m) return { status: 404, body: { code: 20404, message: `The requested resource ${req.url} was not found`, status: 404 } };
      m.fetches++;
      m.at = Math.min(m.life.length - 1, m.fetches);
      return { status: 200, body: this.resource(m, m.life[m.at]) };
    }
    return { status: 404, body: { code: 20404, message: 'not found', status: 404 } };
  }

  private lifeOf(to: string, text: string): TwilioStep[] {
    const life = this.lives.get(to);
    return (typeof life === 'function' ? life(text) : life) ?? [{ status: 'queued' }, { status: 'sent' }, { status: 'delivered' }];
  }

  private resource(m: TwilioMessage, step: TwilioStep) {
    return {
      sid: m.sid,
      account_sid: this.accountSid,
      api_version: '2010-04-01',
      body: m.body,
      direction: 'outbound-api',
      from: m.from,
      to: m.to,
      num_segments: '1',
      price: null,
      status: step.status,
      error_code: step.errorCode ?? null,
      error_message: null,
      uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${m.sid}.json`,
    };
  }
}

export interface AtRecipient {
  statusCode: number;
  status: string;
}
export interface AtRequest {
  username: string;
  to: string;
  message: string;
  from?: string;
  apiKey: string;
  answered: AtRecipient;
}

/**
 * Africa's Talking: POST /version1/messaging (form, `apiKey` header) answers 201 with
 * SMSMessageData.Recipients, one per number, each with its statusCode (101 Success unless a test
 * scripts another, e.g. 403 InvalidPhoneNumber, 405 InsufficientBalance); a wrong key answers 401
 * in plain text. GET /version1/user?username= answers the balance as "KES 1234.50".
 */
export class AfricasTalkingStandIn extends StandIn {
  readonly requests: AtRequest[] = [];
  /** A recipient's scripted status (absent: 101 Success). */
  readonly statuses = new Map<string, () => AtRecipient | null>();
  balance = 'KES 5000.00';
  balanceReads = 0;

  constructor(
    private readonly username: string,
    private readonly apiKey: string,
  ) {
    super();
  }

  to(phone: string): AtRequest[] {
    return this.requests.filter((r) => r.to === phone);
  }

  protected handle(req: IncomingMessage, body: string) {
    if (req.headers.apikey !== this.apiKey) return { status: 401, body: 'The supplied authentication is invalid', contentType: 'text/plain' };
    if (req.method === 'GET' && req.url === `/version1/user?username=${this.username}`) {
      this.balanceReads++;
      return { status: 200, body: { UserData: { balance: this.balance } } };
    }
    if (req.method === 'POST' && req.url === '/version1/messaging') {
      const form = new URLSearchParams(body);
      const to = form.get('to') ?? '';
      const answered = this.statuses.get(to)?.() ?? { statusCode: 101, status: 'Success' };
      this.requests.push({ username: form.get('username') ?? '', to, message: form.get('message') ?? '', from: form.get('from') ?? undefined, apiKey: String(req.headers.apikey), answered });
      const ok = answered.statusCode < 200;
      return {
        status: 201,
        body: {
          SMSMessageData: {
            Message: `Sent to ${ok ? 1 : 0}/1 Total Cost: KES ${ok ? '0.8000' : '0'}`,
            Recipients: [{ statusCode: answered.statusCode, number: to, status: answered.status, cost: ok ? 'KES 0.8000' : '0', messageId: ok ? `ATXid_${randomBytes(8).toString('hex')}` : 'None' }],
          },
        },
      };
    }
    return { status: 404, body: 'Not Found', contentType: 'text/plain' };
  }
}
