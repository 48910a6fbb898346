import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PermanentError, RetryableError } from '@isp/domain';
import { GenericSmsProvider } from './generic-sms.provider';
import { TwilioSmsProvider } from './twilio-sms.provider';

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('SMS providers over HTTP', () => {
  const seen: Seen[] = [];
  let status = 201;
  let server: Server;
  let base = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', headers: req.headers, body });
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(status < 300 ? { sid: 'SM123', id: 'g-1' } : { code: 21211, message: "The 'To' number is not valid" }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    seen.length = 0;
    status = 201;
  });

  const msg = { notificationId: 'n1', idempotencyKey: 'inc.c.sms.opened', to: '+15551234567', body: 'Site "North" down', priority: 'high' as const };

  it('Twilio: form POST to the Messages resource with basic auth, and no idempotency header Twilio does not document', async () => {
    const p = new TwilioSmsProvider({ baseUrl: base, accountSid: 'AC123', authToken: 'tok', from: '+15550001111', timeoutMs: 2000 });
    await expect(p.send(msg)).resolves.toEqual({ providerMessageId: 'SM123' });
    const [req] = seen;
    expect(req.url).toBe('/2010-04-01/Accounts/AC123/Messages.json');
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from('AC123:tok').toString('base64')}`);
    expect(req.headers['idempotency-key']).toBeUndefined();
    expect(req.headers['i-twilio-idempotency-token']).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({ To: '+15551234567', From: '+15550001111', Body: 'Site "North" down' });
  });

  it('an invalid number (400) is permanent; a busy gateway (503, 429) is transient', async () => {
    const p = new TwilioSmsProvider({ baseUrl: base, accountSid: 'AC123', authToken: 'tok', from: '+1', timeoutMs: 2000 });
    status = 400;
    await expect(p.send(msg)).rejects.toBeInstanceOf(PermanentError);
    status = 503;
    await expect(p.send(msg)).rejects.toBeInstanceOf(RetryableError);
    status = 429;
    await expect(p.send(msg)).rejects.toBeInstanceOf(RetryableError);
  });

  it('an unreachable gateway is transient', async () => {
    const p = new GenericSmsProvider({ url: 'http://127.0.0.1:1/sms', bodyTemplate: '{}', contentType: 'application/json', from: 'x', timeoutMs: 1000 });
    await expect(p.send(msg)).rejects.toBeInstanceOf(RetryableError);
  });

  it('generic: the body template is filled with escaped values and the auth header is sent', async () => {
    const p = new GenericSmsProvider({
      url: `${base}/send`,
      authHeader: 'X-Api-Key: secret-1',
      bodyTemplate: '{"to":"{{to}}","msg":"{{text}}","ref":"{{idempotencyKey}}"}',
      contentType: 'application/json',
      from: 'NetOps',
      timeoutMs: 2000,
    });
    await expect(p.send(msg)).resolves.toEqual({ providerMessageId: 'g-1' });
    expect(seen[0].headers['x-api-key']).toBe('secret-1');
    expect(JSON.parse(seen[0].body)).toEqual({ to: '+15551234567', msg: 'Site "North" down', ref: 'inc.c.sms.opened' });
  });
});
