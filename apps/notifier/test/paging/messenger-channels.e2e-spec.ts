import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Types } from 'mongoose';
import { JobName } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { type Incident, type Notification, type Repositories } from '@isp/data';
import { testMongoUrl, testQueuePrefix, testRedisUrl, waitFor } from '../../../../test/support';
import { TestHttpGateway, TestSmtpServer, notifierEnv, openRepositories, startNotifier } from '../notifier-harness';
import { TeamsStandIn, TelegramStandIn } from './messenger-stand-ins';
import { TwilioStandIn } from './sms-provider-stand-ins';

/**
 * Telegram, WhatsApp (Twilio) and Microsoft Teams in the paging path (issue 18): the notifier
 * against the real queue, database and SMTP server and HTTP stand-ins answering as each provider
 * documents. Level 2 pages technicians on telegram/whatsapp/teams; each has an e-mail address as
 * the next channel. The Level 3 admin hears alarms by e-mail. A channel failing for every
 * recipient is "down" after 2 s here (CHANNEL_DOWN_AFTER_MS); the per-page alarm is 60 s away.
 */
const mailText = (m: { raw: string }) => m.raw.replace(/=\r?\n/g, '');

describe('Telegram, WhatsApp and Teams channels', () => {
  const name = 'messengers';
  const telegram = new TelegramStandIn('123456789:test-bot-token');
  const twilio = new TwilioStandIn('AC0123456789abcdef0123456789abcdef', 'twilio-test-token');
  const teams = new TeamsStandIn();
  const w = {
    mongoUrl: testMongoUrl(name),
    redisUrl: testRedisUrl(),
    queuePrefix: testQueuePrefix(name),
    smtp: new TestSmtpServer(),
    gateway: new TestHttpGateway(),
    app: null as unknown as INestApplication,
    repos: null as unknown as Repositories,
    producer: null as unknown as JobProducer,
    closeDb: async () => undefined as void,
    admin: 'ada@isp.test',
  };

  beforeAll(async () => {
    await Promise.all([w.smtp.start(), w.gateway.start(), telegram.start(), twilio.start(), teams.start()]);
    const db = await openRepositories(w.mongoUrl);
    w.repos = db.repos;
    w.closeDb = db.close;
    await w.repos.contacts.create({ name: 'Ada Admin', level: 3, email: w.admin });
    const rules = join(mkdtempSync(join(tmpdir(), `${name}-`)), 'rules.yaml');
    writeFileSync(
      rules,
      [
        'rules:',
        '  - { name: l3, match: { levels: [3] }, page: { contactLevel: 3, scope: all, channels: [email], priority: high } }',
        '  - { name: l2, match: { levels: [2] }, page: { contactLevel: 2, scope: building, channels: [telegram, whatsapp, teams], priority: normal } }',
        '  - { name: l1, match: { levels: [1] }, page: null, escalateAfterSec: null }',
      ].join('\n'),
    );
    w.app = await startNotifier(
      notifierEnv(
        { mongoUrl: w.mongoUrl, redisUrl: w.redisUrl, queuePrefix: w.queuePrefix, gateway: w.gateway, smtp: w.smtp },
        {
          ROUTING_RULES_FILE: rules,
          ESCALATE_AFTER_SEC: '3600',
          L3_REPEAT_MAX: '0',
          DELIVERY_BACKOFF_MS: '100',
          DELIVERY_BACKOFF_MAX_MS: '300',
          DELIVERY_FAILOVER_AFTER_MS: '60000',
          DELIVERY_ALARM_AFTER_MS: '60000',
          CHANNEL_DOWN_AFTER_MS: '2000',
          TELEGRAM_BOT_TOKEN: telegram.token,
          TELEGRAM_API_URL: telegram.url,
          WHATSAPP_FROM: '+14155238886',
          WHATSAPP_API_URL: twilio.url,
          TWILIO_ACCOUNT_SID: twilio.accountSid,
          TWILIO_AUTH_TOKEN: 'twilio-test-token',
          SMS_RECEIPT_POLL_MS: '100',
          SMS_RECEIPT_POLL_MAX_MS: '300',
          SMS_RECEIPT_WAIT_MS: '3000',
        },
      ),
    );
    w.producer = w.app.get(JobProducer);
  });
  afterAll(async () => {
    await w.app?.close();
    await w.closeDb();
    await Promise.all([w.smtp.stop(), w.gateway.stop(), telegram.stop(), twilio.stop(), teams.stop()]);
  });

  const building = (bname: string) => w.repos.buildings.create({ name: bname, code: bname.replace(/\W/g, '').slice(0, 3).toUpperCase() } as never) as Promise<{ _id: Types.ObjectId; name: string }>;
  const technician = (tname: string, b: { _id: Types.ObjectId }, addr: Record<string, string>) => w.repos.contacts.create({ name: tname, level: 2, buildings: [b._id], ...addr });
  async function open(b: { _id: Types.ObjectId; name: string }, rootName: string, openedAt = new Date()): Promise<Incident> {
    const { incident } = await w.repos.incidents.openOrGet({
      rootCause: { kind: 'device', id: new Types.ObjectId(), name: rootName, type: 'sector' },
      building: b._id,
      buildingName: b.name,
      level: 2,
      openedAt,
      impactedDevices: 0,
      impactedStations: 5,
      impactedSubscribers: 50,
      path: [],
    });
    await w.producer.add(JobName.INCIDENT_CHANGED, { incidentId: String(incident._id), change: 'opened', revision: incident.revision });
    return incident;
  }
  const record = (i: Incident, channel: Notification['channel'], status?: Notification['status']) =>
    waitFor(async () => (await w.repos.notifications.find({ incident: i._id }, 100)).find((n) => n.channel === channel && n.kind === 'opened' && (!status || n.status === status)) ?? null, {
      timeoutMs: 15000,
      message: `${channel} page ${status ?? ''}`,
    });
  const failoverMail = (i: Incident, to: string) => waitFor(() => w.smtp.to(to).find((m) => m.raw.includes(String(i._id))), { timeoutMs: 10000, message: `failover e-mail to ${to}` });

  describe('Telegram', () => {
    it('sendMessage in HTML mode to the chat id: the subject in bold, names escaped, times in the contact\'s zone; delivered', async () => {
      const b = await building('Tower <A> & B');
      await technician('Tg Tech', b, { telegramChatId: '700001', timezone: 'America/Lima' });
      const inc = await open(b, 'SECTOR<1>', new Date('2026-03-01T15:04:00Z'));
      const n = await record(inc, 'telegram', 'delivered');
      const [req] = telegram.to('700001');
      expect(req.parseMode).toBe('HTML');
      expect(req.text).toMatch(/^<b>\[L2 DOWN\] Tower &lt;A&gt; &amp; B: sector AP SECTOR&lt;1&gt;<\/b>\n\n/);
      expect(req.text).toContain('Down since: 2026-03-01 10:04 America/Lima');
      expect(n).toMatchObject({ recipient: '700001', providerMessageId: expect.stringMatching(/^700001\/\d+$/), attempts: 1 });
    });

    it('429 with retry_after: retried no sooner than Telegram asked, then delivered', async () => {
      const b = await building('Flood Hill');
      await technician('Fl Tech', b, { telegramChatId: '700002' });
      let calls = 0;
      telegram.scripts.set('700002', () => (calls++ === 0 ? { status: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 } : null));
      const inc = await open(b, 'FH-SECTOR-1');
      await record(inc, 'telegram', 'delivered');
      const [first, second] = telegram.to('700002');
      expect(first.status).toBe(429);
      expect(second.status).toBe(200);
      // Backoff alone would be 100-300 ms.
      expect(second.at - first.at).toBeGreaterThanOrEqual(1000);
    });

    it('403 bot blocked by the user: failed, not retried, the e-mail instead', async () => {
      const b = await building('Blocked Bay');
      await technician('Bl Tech', b, { telegramChatId: '700003', email: 'bl@isp.test' });
      telegram.scripts.set('700003', () => ({ status: 403, description: 'Forbidden: bot was blocked by the user' }));
      const inc = await open(b, 'BB-SECTOR-1');
      const n = await record(inc, 'telegram', 'failed');
      expect(n.error).toMatch(/403 Forbidden: bot was blocked by the user/);
      await failoverMail(inc, 'bl@isp.test');
      expect(telegram.to('700003')).toHaveLength(1);
    });

    it('400 chat not found: failed, not retried, the e-mail instead', async () => {
      const b = await building('Nowhere');
      await technician('Nw Tech', b, { telegramChatId: '700004', email: 'nw@isp.test' });
      telegram.scripts.set('700004', () => ({ status: 400, description: 'Bad Request: chat not found' }));
      const inc = await open(b, 'NW-SECTOR-1');
      const n = await record(inc, 'telegram', 'failed');
      expect(n.error).toMatch(/400 Bad Request: chat not found/);
      await failoverMail(inc, 'nw@isp.test');
      expect(telegram.to('700004')).toHaveLength(1);
    });
  });

  describe('WhatsApp through Twilio', () => {
    it('whatsapp:-prefixed To and From on the Messages API; the receipt makes it delivered', async () => {
      const b = await building('Wa Point');
      await technician('Wa Tech', b, { whatsapp: '+254711000010' });
      const inc = await open(b, 'WP-SECTOR-1');
      const n = await record(inc, 'whatsapp', 'delivered');
      const [msg] = twilio.to('whatsapp:+254711000010');
      expect(msg.from).toBe('whatsapp:+14155238886');
      expect(msg.body).toMatch(/^\*\[L2 DOWN\] Wa Point: sector AP WP-SECTOR-1\*\n\n/);
      expect(n).toMatchObject({ recipient: '+254711000010', providerMessageId: msg.sid, receiptStatus: 'delivered' });
    });

    it('undelivered with 63016 (outside the 24-hour window): failed with the code and why, the e-mail at once', async () => {
      const b = await building('Quiet Lane');
      await technician('Qu Tech', b, { whatsapp: '+254711000011', email: 'qu@isp.test' });
      twilio.lives.set('whatsapp:+254711000011', [{ status: 'queued' }, { status: 'undelivered', errorCode: 63016 }]);
      const inc = await open(b, 'QL-SECTOR-1');
      const n = await record(inc, 'whatsapp', 'failed');
      expect(n.error).toMatch(/undelivered, error 63016 \(outside the 24-hour WhatsApp window/);
      await failoverMail(inc, 'qu@isp.test');
      expect(twilio.to('whatsapp:+254711000011')).toHaveLength(1);
    });
  });

  describe('Microsoft Teams', () => {
    it('an Adaptive Card to the contact\'s workflow; 202 is sent (the flow posts it later); the URL is not in the record', async () => {
      const b = await building('Teams Tower');
      await technician('Te Tech', b, { teamsWebhook: teams.hook('flow-1') });
      const inc = await open(b, 'TT-SECTOR-1');
      const n = await record(inc, 'teams', 'sent');
      const [req] = teams.to('flow-1');
      expect(req.payload.type).toBe('message');
      const att = req.payload.attachments![0];
      expect(att).toMatchObject({ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: { type: 'AdaptiveCard', version: '1.4' } });
      expect(att.content!.body![0]).toMatchObject({ type: 'TextBlock', weight: 'Bolder', text: '[L2 DOWN] Teams Tower: sector AP TT-SECTOR-1' });
      expect(att.content!.body![1].text).toContain('Impact: 5 stations');
      expect(n.recipient).toBe('teams:Te Tech');
      expect(JSON.stringify(n)).not.toContain('sig=');
    });

    it('429 is retried; 404 WorkflowNotFound (flow deleted) fails at once with the e-mail instead', async () => {
      const b = await building('Throttle Town');
      await technician('Th Tech', b, { teamsWebhook: teams.hook('flow-2') });
      let calls = 0;
      teams.scripts.set('flow-2', () => (calls++ < 2 ? { status: 429, code: 'TooManyRequests', message: 'Rate limit is exceeded.' } : null));
      const inc = await open(b, 'TH-SECTOR-1');
      await record(inc, 'teams', 'sent');
      expect(teams.to('flow-2').map((r) => r.status)).toEqual([429, 429, 202]);

      const gone = await building('Gone Gardens');
      await technician('Go Tech', gone, { teamsWebhook: teams.hook('flow-3'), email: 'go@isp.test' });
      teams.scripts.set('flow-3', () => ({ status: 404, code: 'WorkflowNotFound', message: "The workflow 'flow-3' could not be found." }));
      const inc2 = await open(gone, 'GG-SECTOR-1');
      const n = await record(inc2, 'teams', 'failed');
      expect(n.error).toMatch(/404 WorkflowNotFound/);
      expect(n.error).not.toContain('sig=');
      await failoverMail(inc2, 'go@isp.test');
      expect(teams.to('flow-3')).toHaveLength(1);
    });
  });

  describe('a channel down for every recipient (item 4)', () => {
    it('Teams failing for two recipients with nothing through for CHANNEL_DOWN_AFTER_MS: network admins are told once, by e-mail', async () => {
      const b = await building('Outage Office');
      await technician('Ou One', b, { teamsWebhook: teams.hook('flow-4') });
      await technician('Ou Two', b, { teamsWebhook: teams.hook('flow-5') });
      const broken = () => ({ status: 502, code: 'BadGateway', message: 'The service is unavailable.' });
      teams.scripts.set('flow-4', broken);
      teams.scripts.set('flow-5', broken);
      const started = Date.now();
      const inc = await open(b, 'OO-SECTOR-1');
      const alarm = await waitFor(() => w.smtp.to(w.admin).find((m) => m.subject.includes('[ALARM] teams: failing for every recipient')), { timeoutMs: 15000, message: 'channel-down alarm' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
      expect(mailText(alarm)).toMatch(/2 recipients failed/);
      expect(mailText(alarm)).toMatch(/502 BadGateway/);
      // Retries go on; the alarm is not repeated.
      const tries = teams.to('flow-4').length;
      await waitFor(() => teams.to('flow-4').length >= tries + 3, { message: 'more retries' });
      expect(w.smtp.to(w.admin).filter((m) => m.subject.includes('failing for every recipient'))).toHaveLength(1);
      // The per-page alarm (60 s) has not fired: this was the channel watch.
      expect(w.smtp.to(w.admin).filter((m) => m.subject.includes('[ALARM] teams: deliveries failing'))).toHaveLength(0);
      teams.scripts.delete('flow-4');
      teams.scripts.delete('flow-5');
      await waitFor(async () => (await w.repos.notifications.find({ incident: inc._id, kind: 'opened' }, 10)).filter((n) => n.channel === 'teams' && n.status === 'sent').length === 2, { message: 'both pages sent after recovery' });
    });
  });
});
