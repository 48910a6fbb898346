import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Types } from 'mongoose';
import type { Job } from 'bullmq';
import { JobName, QueueName } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { type Incident, type Notification, type Repositories } from '@isp/data';
import { testMongoUrl, testQueuePrefix, testRedisUrl, waitFor } from '../../../../test/support';
import { TestHttpGateway, TestSmtpServer, notifierEnv, openRepositories, startNotifier } from '../notifier-harness';
import { AfricasTalkingStandIn, TwilioStandIn } from './sms-provider-stand-ins';

/**
 * SMS providers in the paging path (issue 21 receipts, issue 18 Africa's Talking): the notifier
 * against the real queue, database and SMTP server, and an HTTP stand-in answering as the
 * provider documents. Level 2 pages technicians by SMS only, so their e-mail address is the next
 * channel; the Level 3 admin hears alarms by e-mail. Receipt polling is compressed to 100-300 ms
 * and a receipt is awaited 3 s.
 */
/** A mail's text with quoted-printable soft line breaks undone. */
const mailText = (m: { raw: string }) => m.raw.replace(/=\r?\n/g, '');

function pagingWorld(name: string, smsEnv: () => Record<string, string>) {
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
    admin: { phone: '+15559000001', email: 'ada@isp.test' },
  };
  beforeAll(async () => {
    await Promise.all([w.smtp.start(), w.gateway.start()]);
    const db = await openRepositories(w.mongoUrl);
    w.repos = db.repos;
    w.closeDb = db.close;
    await w.repos.contacts.create({ name: 'Ada Admin', level: 3, phone: w.admin.phone, email: w.admin.email });
    const rules = join(mkdtempSync(join(tmpdir(), `${name}-`)), 'rules.yaml');
    writeFileSync(
      rules,
      [
        'rules:',
        '  - { name: l3, match: { levels: [3] }, page: { contactLevel: 3, scope: all, channels: [sms, email], priority: high } }',
        '  - { name: l2, match: { levels: [2] }, page: { contactLevel: 2, scope: building, channels: [sms], priority: normal } }',
        '  - { name: l1, match: { levels: [1] }, page: null, escalateAfterSec: null }',
      ].join('\n'),
    );
    w.app = await startNotifier(
      notifierEnv(
        { mongoUrl: w.mongoUrl, redisUrl: w.redisUrl, queuePrefix: w.queuePrefix, gateway: w.gateway, smtp: w.smtp },
        { ROUTING_RULES_FILE: rules, ESCALATE_AFTER_SEC: '3600', L3_REPEAT_MAX: '0', DELIVERY_BACKOFF_MS: '100', DELIVERY_BACKOFF_MAX_MS: '400', DELIVERY_FAILOVER_AFTER_MS: '60000', DELIVERY_ALARM_AFTER_MS: '60000', ...smsEnv() },
      ),
    );
    w.producer = w.app.get(JobProducer);
  });
  afterAll(async () => {
    await w.app?.close();
    await w.closeDb();
    await Promise.all([w.smtp.stop(), w.gateway.stop()]);
  });
  return {
    w,
    async building(bname: string) {
      return w.repos.buildings.create({ name: bname, code: bname.slice(0, 3).toUpperCase() } as never) as Promise<{ _id: Types.ObjectId; name: string }>;
    },
    async technician(tname: string, b: { _id: Types.ObjectId }, addr: { phone?: string; email?: string }) {
      return w.repos.contacts.create({ name: tname, level: 2, buildings: [b._id], ...addr });
    },
    async open(b: { _id: Types.ObjectId; name: string }, rootName: string): Promise<Incident> {
      const { incident } = await w.repos.incidents.openOrGet({
        rootCause: { kind: 'device', id: new Types.ObjectId(), name: rootName, type: 'sector' },
        building: b._id,
        buildingName: b.name,
        level: 2,
        openedAt: new Date(),
        impactedDevices: 0,
        impactedStations: 5,
        impactedSubscribers: 50,
        path: [],
      });
      await w.producer.add(JobName.INCIDENT_CHANGED, { incidentId: String(incident._id), change: 'opened', revision: incident.revision });
      return incident;
    },
    smsRecord: (i: Incident, status?: Notification['status']) =>
      waitFor(async () => (await w.repos.notifications.find({ incident: i._id }, 100)).find((n) => n.channel === 'sms' && n.kind === 'opened' && (!status || n.status === status)) ?? null, {
        timeoutMs: 15000,
        message: `SMS page ${status ?? ''}`,
      }),
    receiptJobs: async (n: Notification, states: ('completed' | 'delayed' | 'waiting' | 'active')[]): Promise<Job[]> =>
      (await w.producer.queue(QueueName.NOTIFICATION).getJobs(states)).filter((j) => j?.name === JobName.RECEIPT_CHECK && (j.data as { notificationId: string }).notificationId === String(n._id)),
  };
}

describe('Twilio SMS delivery receipts', () => {
  const twilio = new TwilioStandIn('AC0123456789abcdef0123456789abcdef', 'twilio-test-token');
  // Before the notifier starts: its config takes the stand-in's port.
  beforeAll(() => twilio.start());
  afterAll(() => twilio.stop());
  const t = pagingWorld('receipts-twilio', () => ({
    SMS_PROVIDER: 'twilio',
    SMS_URL: twilio.url,
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: 'twilio-test-token',
    SMS_FROM: '+15550001111',
    SMS_RECEIPT_POLL_MS: '100',
    SMS_RECEIPT_POLL_MAX_MS: '300',
    SMS_RECEIPT_WAIT_MS: '3000',
  }));

  it('queued -> sent -> delivered: the page ends delivered, and nobody looks any more', async () => {
    const b = await t.building('Receipt Row');
    await t.technician('Rae Tech', b, { phone: '+15551100001', email: 'rae@isp.test' });
    const inc = await t.open(b, 'RR-SECTOR-1');
    const n = await t.smsRecord(inc, 'delivered');
    const [msg] = twilio.to('+15551100001');
    expect(n).toMatchObject({ providerMessageId: msg.sid, receiptStatus: 'delivered', deliveredAt: expect.any(Date), attempts: 1 });
    expect(msg.fetches).toBe(2); // sent, then delivered
    expect(msg.body).toContain('DOWN');
    expect(await t.receiptJobs(n, ['delayed', 'waiting'])).toEqual([]);
    expect(t.w.smtp.to('rae@isp.test')).toEqual([]);
  });

  it('undelivered with error 30003: failed with the code, the e-mail goes out at once, the SMS is not sent again', async () => {
    const b = await t.building('Dead Zone');
    await t.technician('Dee Tech', b, { phone: '+15551100002', email: 'dee@isp.test' });
    twilio.lives.set('+15551100002', [{ status: 'queued' }, { status: 'sent' }, { status: 'undelivered', errorCode: 30003 }]);
    const inc = await t.open(b, 'DZ-SECTOR-1');
    const n = await t.smsRecord(inc, 'failed');
    expect(n.receiptStatus).toBe('undelivered');
    expect(n.error).toMatch(/undelivered, error 30003 \(unreachable destination handset/);
    const mail = await waitFor(() => t.w.smtp.to('dee@isp.test').find((m) => m.raw.includes(String(inc._id))), { timeoutMs: 10000, message: 'failover e-mail' });
    expect(mail.subject).toContain('[L2 DOWN] Dead Zone');
    await waitFor(async () => (await t.w.repos.notifications.find({ incident: inc._id, kind: 'opened' }, 10)).find((x) => x.channel === 'email')?.status === 'sent', { message: 'e-mail sent' });
    expect(twilio.to('+15551100002')).toHaveLength(1);
    // The last channel had it: no alarm.
    expect(t.w.smtp.to(t.w.admin.email).filter((m) => m.subject.includes('[ALARM]'))).toEqual([]);
  });

  it('undelivered after its incident was resolved: failed on record, but no failover and no alarm for a page that no longer matters', async () => {
    const b = await t.building('Late Valley');
    await t.technician('La Tech', b, { phone: '+15551100005' });
    // The DOWN page sits at the carrier for a few looks, then turns out undelivered; the RESOLVED arrives.
    twilio.lives.set('+15551100005', (text) => (text.includes('RESOLVED') ? [{ status: 'queued' }, { status: 'delivered' }] : [{ status: 'queued' }, { status: 'sent' }, { status: 'sent' }, { status: 'sent' }, { status: 'undelivered', errorCode: 30003 }]));
    const inc = await t.open(b, 'LV-SECTOR-1');
    await t.smsRecord(inc, 'sent');
    const resolved = (await t.w.repos.incidents.resolve(inc._id))!;
    await t.w.producer.add(JobName.INCIDENT_CHANGED, { incidentId: String(inc._id), change: 'resolved', revision: resolved.revision });
    const down = await t.smsRecord(inc, 'failed');
    expect(down.error).toMatch(/error 30003/);
    const [job] = await waitFor(async () => {
      const jobs = (await t.receiptJobs(down, ['completed'])).filter((j) => String(j.returnvalue).startsWith('failed'));
      return jobs.length ? jobs : null;
    }, { message: 'the look that found it undelivered' });
    expect(job.returnvalue).toMatch(/^failed: Twilio: message undelivered/);
    await waitFor(async () => (await t.w.repos.notifications.find({ incident: inc._id, kind: 'resolved' }, 10)).some((n) => n.channel === 'sms' && n.status === 'delivered'), { message: 'RESOLVED delivered' });
    // Before the 30008 test below: no "undeliverable" alarm has been raised in this suite yet, so its one-per-hour latch cannot hide one here.
    expect((await t.w.repos.notifications.find({ incident: inc._id }, 100)).filter((n) => n.kind === 'alarm' || n.channel === 'email')).toEqual([]);
    expect(t.w.smtp.to(t.w.admin.email).filter((m) => m.subject.includes('[ALARM]'))).toEqual([]);
  });

  it('failed with error 30008 on the only channel: network admins are alarmed that the page could not be delivered', async () => {
    const b = await t.building('Lone Tower');
    await t.technician('Lu Tech', b, { phone: '+15551100003' });
    twilio.lives.set('+15551100003', [{ status: 'queued' }, { status: 'failed', errorCode: 30008 }]);
    const inc = await t.open(b, 'LT-SECTOR-1');
    const n = await t.smsRecord(inc, 'failed');
    expect(n).toMatchObject({ receiptStatus: 'failed', error: 'Twilio: message failed, error 30008 (unknown error)' });
    const alarm = await waitFor(() => t.w.smtp.to(t.w.admin.email).find((m) => m.subject.includes('[ALARM] sms: a page could not be delivered')), { timeoutMs: 10000, message: 'alarm' });
    expect(mailText(alarm)).toMatch(/error 30008/);
    expect(twilio.to('+15551100003')).toHaveLength(1);
  });

  it('no final receipt within SMS_RECEIPT_WAIT_MS: the page stays sent with Twilio\'s last status, and the looking stops', async () => {
    const b = await t.building('Silent Carrier');
    await t.technician('Sy Tech', b, { phone: '+15551100004', email: 'sy@isp.test' });
    twilio.lives.set('+15551100004', [{ status: 'queued' }, { status: 'sent' }]);
    const inc = await t.open(b, 'SC-SECTOR-1');
    const sent = await t.smsRecord(inc, 'sent');
    const last = await waitFor(async () => (await t.receiptJobs(sent, ['completed'])).find((j) => String(j.returnvalue).startsWith('no receipt in time')), { timeoutMs: 10000, message: 'last look' });
    expect(last.returnvalue).toBe('no receipt in time: stays sent (sent)');
    const n = await t.smsRecord(inc);
    expect(n).toMatchObject({ status: 'sent', receiptStatus: 'sent' });
    expect(Date.now() - new Date(n.sentAt!).getTime()).toBeGreaterThanOrEqual(3000);
    expect(await t.receiptJobs(n, ['delayed', 'waiting'])).toEqual([]);
    expect(twilio.to('+15551100004')[0].fetches).toBeGreaterThanOrEqual(3);
    expect(t.w.smtp.to('sy@isp.test')).toEqual([]);
  });
});

describe("Africa's Talking SMS", () => {
  const at = new AfricasTalkingStandIn('isp-netops', 'at-test-key');
  beforeAll(() => at.start());
  afterAll(() => at.stop());
  const t = pagingWorld('sms-africastalking', () => ({
    SMS_PROVIDER: 'africastalking',
    SMS_URL: at.url,
    AT_USERNAME: 'isp-netops',
    AT_API_KEY: 'at-test-key',
    AT_SENDER_ID: 'NETOPS',
    AT_LOW_BALANCE: '100',
    AT_BALANCE_CHECK_EVERY_MS: '0',
  }));

  it('a 201 with 101 Success: sent, with the message id; the request is the documented form with the apiKey header', async () => {
    const b = await t.building('Westlands');
    await t.technician('Wa Tech', b, { phone: '+254711000001' });
    const inc = await t.open(b, 'WL-SECTOR-1');
    const n = await t.smsRecord(inc, 'sent');
    const [req] = at.to('+254711000001');
    expect(req).toMatchObject({ username: 'isp-netops', from: 'NETOPS', apiKey: 'at-test-key', message: expect.stringContaining('Westlands') });
    expect(n.providerMessageId).toMatch(/^ATXid_/);
    expect(n.receiptStatus).toBeUndefined();
  });

  it('a 201 whose recipient says 403 InvalidPhoneNumber: failed at once, not retried, the e-mail instead', async () => {
    const b = await t.building('Kibera');
    await t.technician('Ki Tech', b, { phone: '+254799999999', email: 'ki@isp.test' });
    at.statuses.set('+254799999999', () => ({ statusCode: 403, status: 'InvalidPhoneNumber' }));
    const inc = await t.open(b, 'KB-SECTOR-1');
    const n = await t.smsRecord(inc, 'failed');
    expect(n.error).toMatch(/recipient status 403 InvalidPhoneNumber/);
    await waitFor(() => t.w.smtp.to('ki@isp.test').some((m) => m.raw.includes(String(inc._id))), { timeoutMs: 10000, message: 'failover e-mail' });
    expect(at.to('+254799999999')).toHaveLength(1);
  });

  it('a 201 whose recipient says 405 InsufficientBalance: an alarm by e-mail at once, and the page goes out after the top-up', async () => {
    const b = await t.building('Karen');
    await t.technician('Ka Tech', b, { phone: '+254711000003' });
    let broke = true;
    at.statuses.set('+254711000003', () => (broke ? { statusCode: 405, status: 'InsufficientBalance' } : null));
    const inc = await t.open(b, 'KR-SECTOR-1');
    const alarm = await waitFor(() => t.w.smtp.to(t.w.admin.email).find((m) => m.subject.includes('[ALARM] sms: provider account out of credit')), { timeoutMs: 10000, message: 'credit alarm' });
    expect(mailText(alarm)).toMatch(/InsufficientBalance/);
    const retrying = await t.smsRecord(inc, 'retrying');
    expect(retrying.error).toMatch(/405 InsufficientBalance/);
    await waitFor(() => at.to('+254711000003').length >= 3, { message: 'retries' });
    broke = false;
    await t.smsRecord(inc, 'sent');
    expect(t.w.smtp.to(t.w.admin.email).filter((m) => m.subject.includes('out of credit'))).toHaveLength(1);
  });

  it('a balance under AT_LOW_BALANCE: network admins are told once, and the pages still go out', async () => {
    at.balance = 'KES 42.50';
    const b = await t.building('Ngong Road');
    await t.technician('Ng Tech', b, { phone: '+254711000004' });
    await t.technician('Ny Tech', b, { phone: '+254711000005' });
    const inc = await t.open(b, 'NR-SECTOR-1');
    const alarm = await waitFor(() => t.w.smtp.to(t.w.admin.email).find((m) => m.subject.includes('[ALARM] sms: provider account balance low')), { timeoutMs: 10000, message: 'low-balance alarm' });
    expect(mailText(alarm)).toMatch(/KES 42\.50, below 100/);
    expect(mailText(alarm)).toMatch(/still go out/);
    await waitFor(async () => (await t.w.repos.notifications.find({ incident: inc._id, kind: 'opened' }, 10)).filter((n) => n.channel === 'sms' && n.status === 'sent').length === 2, { message: 'both pages sent' });
    expect(at.balanceReads).toBeGreaterThanOrEqual(2);
    expect(t.w.smtp.to(t.w.admin.email).filter((m) => m.subject.includes('balance low'))).toHaveLength(1);
  });
});
