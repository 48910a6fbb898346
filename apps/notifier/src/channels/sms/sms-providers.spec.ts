import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PermanentError, RetryableError } from '@isp/domain';
import { ProviderAlarmError } from '../delivery-errors';
import { AfricasTalkingSmsProvider } from './africastalking-sms.provider';
import { GenericSmsProvider } from './generic-sms.provider';
import { TwilioSmsProvider } from './twilio-sms.provider';
import { WhatsAppChannel } from '../whatsapp/whatsapp.channel';

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('SMS providers over HTTP', () => {
  const seen: Seen[] = [];
  let status = 201;
  /** A test's own answer for a request (null: the default below). */
  let route: ((s: Seen & { method: string }) => { status: number; body: unknown } | null) | null = null;
  let server: Server;
  let base = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', headers: req.headers, body });
        const own = route?.({ url: req.url ?? '', headers: req.headers, body, method: req.method ?? '' });
        if (own) return void res.writeHead(own.status, { 'content-type': 'application/json' }).end(JSON.stringify(own.body));
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
    route = null;
  });

  const msg = { notificationId: 'n1', idempotencyKey: 'inc.c.sms.opened', to: '+15551234567', body: 'Site "North" down', priority: 'high' as const };

  it('Twilio: form POST to the Messages resource with basic auth, and no idempotency header Twilio does not document', async () => {
    const p = new TwilioSmsProvider({ baseUrl: base, accountSid: 'AC123', authToken: 'tok', from: '+15550001111', timeoutMs: 2000 });
    await expect(p.send(msg)).resolves.toEqual({ providerMessageId: 'SM123', awaitReceipt: true });
    const [req] = seen;
    expect(req.url).toBe('/2010-04-01/Accounts/AC123/Messages.json');
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from('AC123:tok').toString('base64')}`);
    expect(req.headers['idempotency-key']).toBeUndefined();
    expect(req.headers['i-twilio-idempotency-token']).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({ To: '+15551234567', From: '+15550001111', Body: 'Site "North" down' });
  });

  it('WhatsApp through Twilio: whatsapp: addresses; free-form with the subject in bold, or the approved template with one-line variables', async () => {
    const opts = { baseUrl: base, accountSid: 'AC123', authToken: 'tok', from: '+14155238886', timeoutMs: 2000 };
    const page = { ...msg, subject: '[L2 DOWN] North', body: 'Sector  down\n\nImpact: 5 stations' };
    await new WhatsAppChannel(opts).send(page);
    expect(Object.fromEntries(new URLSearchParams(seen[0].body))).toEqual({ To: 'whatsapp:+15551234567', From: 'whatsapp:+14155238886', Body: '*[L2 DOWN] North*\n\nSector  down\n\nImpact: 5 stations' });
    await new WhatsAppChannel({ ...opts, contentSid: 'HX0123456789abcdef0123456789abcdef' }).send(page);
    const form = Object.fromEntries(new URLSearchParams(seen[1].body));
    expect(form).toMatchObject({ To: 'whatsapp:+15551234567', ContentSid: 'HX0123456789abcdef0123456789abcdef' });
    expect(form.Body).toBeUndefined();
    expect(JSON.parse(form.ContentVariables)).toEqual({ 1: '[L2 DOWN] North', 2: 'Sector down Impact: 5 stations' });
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

  it('Twilio receipts: GET the Message resource; 404 means none will come, 5xx to be asked again', async () => {
    const p = new TwilioSmsProvider({ baseUrl: base, accountSid: 'AC123', authToken: 'tok', from: '+1', timeoutMs: 2000 });
    route = (r) => (r.method === 'GET' ? { status: 200, body: { sid: 'SM9', status: 'undelivered', error_code: 30005, error_message: null } } : null);
    await expect(p.fetchReceipt('SM9')).resolves.toMatchObject({ state: 'failed', providerStatus: 'undelivered', detail: expect.stringContaining('error 30005') });
    expect(seen[0].url).toBe('/2010-04-01/Accounts/AC123/Messages/SM9.json');
    expect(seen[0].headers.authorization).toBe(`Basic ${Buffer.from('AC123:tok').toString('base64')}`);
    route = () => ({ status: 404, body: { code: 20404, message: 'The requested resource was not found' } });
    await expect(p.fetchReceipt('SM9')).rejects.toBeInstanceOf(PermanentError);
    route = () => ({ status: 503, body: {} });
    const err = await p.fetchReceipt('SM9').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect(err).not.toBeInstanceOf(PermanentError);
  });

  it("Africa's Talking: form POST with the apiKey header; the recipient's status decides; a low balance comes back as a warning", async () => {
    const p = new AfricasTalkingSmsProvider({ baseUrl: base, username: 'isp', apiKey: 'at-key', senderId: 'NETOPS', timeoutMs: 2000, lowBalance: 100, balanceCheckEveryMs: 60000 });
    let recipient = { statusCode: 101, number: '+254711000001', status: 'Success', cost: 'KES 0.8000', messageId: 'ATXid_1' };
    route = (r) =>
      r.method === 'GET'
        ? { status: 200, body: { UserData: { balance: 'KES 42.50' } } }
        : { status: 201, body: { SMSMessageData: { Message: 'Sent to 1/1 Total Cost: KES 0.8000', Recipients: [recipient] } } };
    await expect(p.send({ ...msg, to: '+254711000001' })).resolves.toEqual({
      providerMessageId: 'ATXid_1',
      warning: { cause: 'low-balance', detail: expect.stringContaining('KES 42.50, below 100') },
    });
    expect(seen[0].url).toBe('/version1/messaging');
    expect(seen[0].headers.apikey).toBe('at-key');
    expect(Object.fromEntries(new URLSearchParams(seen[0].body))).toEqual({ username: 'isp', to: '+254711000001', message: 'Site "North" down', from: 'NETOPS' });
    expect(seen[1].url).toBe('/version1/user?username=isp');
    // Read once per balanceCheckEveryMs, not per message.
    await expect(p.send(msg)).resolves.toEqual({ providerMessageId: 'ATXid_1' });
    expect(seen.filter((x) => x.url.startsWith('/version1/user'))).toHaveLength(1);

    recipient = { ...recipient, statusCode: 403, status: 'InvalidPhoneNumber', messageId: 'None' };
    await expect(p.send(msg)).rejects.toBeInstanceOf(PermanentError);
    recipient = { ...recipient, statusCode: 405, status: 'InsufficientBalance' };
    const err = await p.send(msg).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderAlarmError);
    expect((err as ProviderAlarmError).alarm).toBe('credit');
  });
});
