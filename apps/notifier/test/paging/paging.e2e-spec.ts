import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Types } from 'mongoose';
import type { Job } from 'bullmq';
import { FINAL_NOTIFICATION_STATUSES, JobName, QueueName, type IncidentLevel } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { type Incident, type Notification, type Repositories } from '@isp/data';
import { testMongoUrl, testQueuePrefix, testRedisUrl, waitFor } from '../../../../test/support';
import { EscalationService } from '../../src/alerting/escalation.service';
import { TestHttpGateway, TestSmtpServer, notifierEnv, openRepositories, startNotifier } from '../notifier-harness';

/**
 * Paging under trouble (issue 21), against the real queue, database and SMTP server and an HTTP
 * stand-in for the SMS gateway whose answers each test scripts per phone number. Timings are
 * compressed through config: failover after 1.5 s of failure, the alarm after 3 s, changes merged
 * over 1.5 s, an uncertain send not resent for 60 s, Level 3 repeated every second at most twice.
 */
describe('paging', () => {
  const mongoUrl = testMongoUrl('paging');
  const redisUrl = testRedisUrl();
  const queuePrefix = testQueuePrefix('paging');
  const smtp = new TestSmtpServer();
  const gateway = new TestHttpGateway();
  let app: INestApplication;
  let repos: Repositories;
  let closeDb: () => Promise<void>;
  let producer: JobProducer;
  /** Per-phone answers of the SMS stand-in, set by each test. */
  const answers = new Map<string, (text: string) => { status: number; body?: unknown; delayMs?: number } | null>();

  const ADMIN = { phone: '+15559000001', email: 'ada@isp.test' };

  beforeAll(async () => {
    await Promise.all([smtp.start(), gateway.start()]);
    gateway.smsAnswer = (sms) => answers.get(sms.to)?.(sms.text) ?? null;
    ({ repos, close: closeDb } = await openRepositories(mongoUrl));
    await repos.contacts.create({ name: 'Ada Admin', level: 3, phone: ADMIN.phone, email: ADMIN.email });
    // Level 2 pages technicians by SMS only, so the e-mail address is their "next channel".
    const rules = join(mkdtempSync(join(tmpdir(), 'paging-')), 'rules.yaml');
    writeFileSync(
      rules,
      [
        'rules:',
        '  - { name: l3, match: { levels: [3] }, page: { contactLevel: 3, scope: all, channels: [sms, email], priority: high } }',
        '  - { name: l2, match: { levels: [2] }, page: { contactLevel: 2, scope: building, channels: [sms], priority: normal } }',
        '  - { name: l1, match: { levels: [1] }, page: null, escalateAfterSec: null }',
      ].join('\n'),
    );
    app = await startNotifier(
      notifierEnv(
        { mongoUrl, redisUrl, queuePrefix, gateway, smtp },
        {
          ROUTING_RULES_FILE: rules,
          ESCALATE_AFTER_SEC: '3600',
          L3_REPEAT_EVERY_SEC: '1',
          L3_REPEAT_MAX: '2',
          SEND_TIMEOUT_MS: '1500',
          DELIVERY_BACKOFF_MS: '100',
          DELIVERY_BACKOFF_MAX_MS: '400',
          DELIVERY_FAILOVER_AFTER_MS: '1500',
          DELIVERY_ALARM_AFTER_MS: '3000',
          DELIVERY_GIVE_UP_MS: '120000',
          DELIVERY_UNCERTAIN_WINDOW_MS: '60000',
          REPAGE_MERGE_WINDOW_MS: '1500',
          REPAGE_IMPACT_FACTOR: '2',
          SMS_MAX_SEGMENTS: '2',
          SMS_BODY_TEMPLATE: '{"to":"{{to}}","text":"{{text}}","encoding":"{{encoding}}","reference":"{{idempotencyKey}}"}',
        },
      ),
    );
    producer = app.get(JobProducer);
  });

  afterAll(async () => {
    await app?.close();
    await closeDb?.();
    await Promise.all([smtp.stop(), gateway.stop()]);
  });

  async function building(name: string) {
    return repos.buildings.create({ name, code: name.slice(0, 3).toUpperCase() } as never) as Promise<{ _id: Types.ObjectId; name: string }>;
  }
  async function technician(name: string, b: { _id: Types.ObjectId }, addr: { phone?: string; email?: string; chatWebhook?: string }) {
    return repos.contacts.create({ name, level: 2, buildings: [b._id], ...addr });
  }
  async function open(b: { _id: Types.ObjectId; name: string }, rootName: string, level: IncidentLevel = 2, stations = 5): Promise<Incident> {
    const { incident } = await repos.incidents.openOrGet({
      rootCause: { kind: 'device', id: new Types.ObjectId(), name: rootName, type: 'sector' },
      building: b._id,
      buildingName: b.name,
      level,
      openedAt: new Date(),
      impactedDevices: 0,
      impactedStations: stations,
      impactedSubscribers: stations * 10,
      path: [],
    });
    await producer.add(JobName.INCIDENT_CHANGED, { incidentId: String(incident._id), change: 'opened', revision: incident.revision });
    return incident;
  }
  const shortId = (i: Incident) => String(i._id).slice(-6);
  /** The job once completed, read again after completion (a copy read earlier has no return value). */
  const completed = (get: () => Promise<Job | undefined>) =>
    waitFor(async () => {
      const j = await get();
      return j && (await j.getState()) === 'completed' ? get() : null;
    }, { timeoutMs: 15000, message: 'job completed' });
  const records = (i: Incident) => repos.notifications.find({ incident: i._id }, 1000);
  const record = async (i: Incident, pick: (n: Notification) => boolean) => (await records(i)).find(pick) ?? null;
  const jobsNamed = async (name: string, incidentId: string): Promise<Job[]> =>
    (await producer.queue(QueueName.NOTIFICATION).getJobs(['completed'])).filter((j) => j?.name === name && (j.data as { incidentId?: string }).incidentId === incidentId);

  it('the SMS gateway answering 503 for a long while: the page arrives once it recovers, the e-mail after N minutes, one alarm', async () => {
    const b = await building('Kilimani Heights');
    await technician('Tia Tech', b, { phone: '+15551000001', email: 'tia@isp.test' });
    let down = true;
    answers.set('+15551000001', () => (down ? { status: 503, body: { error: 'service unavailable' } } : null));
    const inc = await open(b, 'KH-SECTOR-1');

    // Retried with capped backoff while failing; after DELIVERY_FAILOVER_AFTER_MS the e-mail goes out.
    const mail = await waitFor(() => smtp.to('tia@isp.test').find((m) => m.raw.includes(String(inc._id))), { timeoutMs: 15000, message: 'failover e-mail' });
    expect(mail.subject).toContain('[L2 DOWN] Kilimani Heights');
    const sms = await record(inc, (n) => n.channel === 'sms' && n.kind === 'opened');
    expect(sms).toMatchObject({ status: expect.stringMatching(/retrying|sending/), failedOver: true });
    expect(sms!.attempts).toBeGreaterThanOrEqual(3);

    // After DELIVERY_ALARM_AFTER_MS: the admin hears by e-mail (not the failing SMS) and the dashboard has it.
    await waitFor(() => smtp.to(ADMIN.email).some((m) => m.subject.includes('[ALARM] sms: deliveries failing')), { timeoutMs: 15000, message: 'alarm e-mail' });
    const alarmed = (await record(inc, (n) => n.kind === 'alarm' && n.channel === 'sms'))?._id;
    expect(alarmed).toBeUndefined();
    const attemptsAtAlarm = (await record(inc, (n) => n.channel === 'sms' && n.kind === 'opened'))!.attempts;
    // Keep failing for several more tries: still one alarm.
    await waitFor(async () => ((await record(inc, (n) => n.channel === 'sms' && n.kind === 'opened'))?.attempts ?? 0) >= attemptsAtAlarm + 4, { timeoutMs: 15000, message: 'more retries' });

    down = false;
    const sent = await waitFor(() => record(inc, (n) => n.channel === 'sms' && n.kind === 'opened' && n.status === 'sent'), { timeoutMs: 15000, message: 'SMS after recovery' });
    expect(gateway.acceptedTo('+15551000001', shortId(inc))).toHaveLength(1);
    expect(sent.error).toBeUndefined();
    const alarms = (await records(inc)).filter((n) => n.kind === 'alarm');
    expect(alarms.map((n) => n.channel).sort()).toEqual(['dashboard', 'email']);
    expect(smtp.to(ADMIN.email).filter((m) => m.subject.includes('[ALARM] sms: deliveries failing'))).toHaveLength(1);
    expect(gateway.smsTo(ADMIN.phone).filter((s) => s.text.includes('ALARM'))).toEqual([]);
  });

  it('five growth revisions within the merge window: one DOWN page and one merged GROWN page per technician; none once acknowledged', async () => {
    const b = await building('Mnazi Mmoja');
    await technician('Gus Tech', b, { phone: '+15552000001' });
    await technician('Gia Tech', b, { phone: '+15552000002' });
    const inc = await open(b, 'MM-SECTOR-1', 2, 5);
    await waitFor(() => gateway.acceptedTo('+15552000001', shortId(inc)).length === 1 && gateway.acceptedTo('+15552000002', shortId(inc)).length === 1, { message: 'opening pages' });

    for (const stations of [6, 8, 12, 20, 40]) {
      const grown = await repos.incidents.updateOpen(inc._id, { impactedStations: stations, impactedSubscribers: stations * 10 });
      await producer.add(JobName.INCIDENT_CHANGED, { incidentId: String(inc._id), change: 'grown', revision: grown!.revision });
    }
    const [check] = await waitFor(async () => {
      const jobs = await jobsNamed(JobName.REPAGE_CHECK, String(inc._id));
      return jobs.length ? jobs : null;
    }, { timeoutMs: 15000, message: 're-page check' });
    expect(check.returnvalue).toMatch(/^paged: impact 55 -> 440/);
    for (const phone of ['+15552000001', '+15552000002']) {
      await waitFor(() => gateway.acceptedTo(phone, `${shortId(inc)}`).length === 2, { message: `grown page to ${phone}` });
      const texts = gateway.smsTo(phone, shortId(inc)).map((s) => s.text);
      expect(texts.filter((t) => t.includes('DOWN'))).toHaveLength(1);
      expect(texts.filter((t) => t.includes('GROWN'))).toEqual([expect.stringContaining('40 stations')]);
    }
    // Every revision reached the feed.
    await waitFor(async () => (await records(inc)).filter((n) => n.channel === 'dashboard' && n.kind === 'grown' && n.status === 'delivered').length === 5, { message: 'feed' });
    expect((await jobsNamed(JobName.REPAGE_CHECK, String(inc._id))).length).toBe(1);

    // Acknowledged: growth past the next step goes to the feed only.
    await repos.incidents.acknowledge(inc._id, 'gus');
    const bigger = await repos.incidents.updateOpen(inc._id, { impactedStations: 400, impactedSubscribers: 4000 });
    await producer.add(JobName.INCIDENT_CHANGED, { incidentId: String(inc._id), change: 'grown', revision: bigger!.revision });
    const handled = await completed(() => producer.queue(QueueName.NOTIFICATION).getJob(`inc.${String(inc._id)}.grown.${bigger!.revision}`));
    expect(handled.returnvalue).toBe('grown: 1 recorded'); // the feed record only
    expect(await jobsNamed(JobName.REPAGE_CHECK, String(inc._id))).toHaveLength(1);
    expect(await producer.queue(QueueName.NOTIFICATION).getDelayed()).not.toContainEqual(expect.objectContaining({ name: JobName.REPAGE_CHECK, data: { incidentId: String(inc._id) } }));
    expect(gateway.smsTo('+15552000001', shortId(inc))).toHaveLength(2);
  });

  it('a resolve racing an escalation: every ESCALATED recipient gets RESOLVED, and nothing arrives after RESOLVED', async () => {
    const b = await building('Riverside');
    await technician('Hal Tech', b, { phone: '+15553000001' });
    const incidents: Incident[] = [];
    for (let i = 0; i < 4; i++) incidents.push(await open(b, `RS-SECTOR-${i}`));
    for (const inc of incidents) await waitFor(() => gateway.acceptedTo('+15553000001', shortId(inc)).length === 1, { message: 'opening page' });

    // The escalation path has read the incident as open and records its pages around the resolve:
    // (0) the resolve was handled before it recorded, (1) both at once, (2) the ESCALATED SMS is
    // with the gateway when the resolve is handled, (3) the ESCALATED went out before the resolve.
    const escalation = app.get(EscalationService);
    const held = shortId(incidents[2]);
    answers.set(ADMIN.phone, (text) => (text.includes('ESCALATED') && text.includes(held) ? { status: 201, body: { id: 'slow' }, delayMs: 1000 } : null));
    const resolveNow = async (inc: Incident) => {
      const resolved = (await repos.incidents.resolve(inc._id))!;
      const job = await producer.add(JobName.INCIDENT_CHANGED, { incidentId: String(inc._id), change: 'resolved', revision: resolved.revision });
      return () => waitFor(async () => (await job.getState()) === 'completed', { message: 'resolve handled' });
    };
    const escalatedSms = (inc: Incident, status: string) => record(inc, (n) => n.kind === 'escalated' && n.channel === 'sms' && n.status === status);
    const seenOpen = await Promise.all(incidents.map(async (inc) => (await repos.incidents.escalate(inc._id, 3))!));
    await (await resolveNow(incidents[0]))();
    await escalation.notify(seenOpen[0], 3);
    const handled = await resolveNow(incidents[1]);
    await Promise.all([escalation.notify(seenOpen[1], 3), handled()]);
    await escalation.notify(seenOpen[2], 3);
    await waitFor(() => escalatedSms(incidents[2], 'sending'), { message: 'ESCALATED with the gateway' });
    await (await resolveNow(incidents[2]))();
    await escalation.notify(seenOpen[3], 3);
    await waitFor(() => escalatedSms(incidents[3], 'sent'), { message: 'ESCALATED delivered' });
    await (await resolveNow(incidents[3]))();

    for (const inc of incidents) {
      const settled = await waitFor(async () => {
        const ns = await records(inc);
        const jobs = await producer.queue(QueueName.NOTIFICATION).getJobCounts('waiting', 'active', 'delayed');
        return ns.every((n) => FINAL_NOTIFICATION_STATUSES.includes(n.status)) && jobs.waiting + jobs.active === 0 ? ns : null;
      }, { timeoutMs: 20000, message: `notifications of ${shortId(inc)} settled` });
      for (const phone of ['+15553000001', ADMIN.phone]) {
        const seen = gateway.acceptedTo(phone, shortId(inc)).map((s) => s.text);
        const resolvedAt = seen.findIndex((t) => t.includes('RESOLVED'));
        const pages = seen.filter((t) => !t.includes('RESOLVED'));
        if (pages.length) expect(resolvedAt).toBeGreaterThan(-1);
        if (resolvedAt >= 0) expect(seen.slice(resolvedAt + 1)).toEqual([]);
      }
      const escalatedPages = settled.filter((n) => n.kind === 'escalated' && n.channel === 'sms');
      expect(escalatedPages).toHaveLength(1); // the admin's ESCALATED was recorded, then sent or suppressed
      if (inc === incidents[0]) expect(escalatedPages[0].status).toBe('suppressed');
      if (inc === incidents[2] || inc === incidents[3]) expect(escalatedPages[0].status).toBe('sent');
      for (const e of escalatedPages) {
        expect(['sent', 'suppressed']).toContain(e.status);
        if (e.status === 'suppressed') expect(e.error).toMatch(/resolved before this page went out/);
        else expect(settled.some((n) => n.kind === 'resolved' && n.channel === 'sms' && n.recipient === e.recipient && n.status === 'sent')).toBe(true);
      }
    }
  });

  it('a Level 2 building with no technician reachable: Level 3 is paged at once, and the unreachable technician is on record', async () => {
    const b = await building('Empty Plaza');
    // In scope, but only a chat webhook while Level 2 pages by SMS: dropped, with a warning on record.
    const ivy = await technician('Ivy Tech', b, { chatWebhook: `${gateway.url}/chat/ivy` });
    const inc = await open(b, 'EP-SECTOR-1');
    const [page] = await waitFor(() => {
      const s = gateway.acceptedTo(ADMIN.phone, shortId(inc));
      return s.length ? s : null;
    }, { timeoutMs: 5000, message: 'Level 3 page' });
    expect(page.text).toMatch(/L3 DOWN: Empty Plaza/);
    expect(await repos.incidents.findById(inc._id)).toMatchObject({ level: 2, escalatedLevel: 3, state: 'open' });
    const skipped = await record(inc, (n) => String(n.contact) === String(ivy._id));
    expect(skipped).toMatchObject({ status: 'skipped', kind: 'opened', recipient: 'Ivy Tech', error: expect.stringMatching(/no address on an enabled channel/) });
  });

  it('a provider answering "insufficient credit": an alarm through another channel at once, and the page keeps trying', async () => {
    const b = await building('Credit Court');
    await technician('Kim Tech', b, { phone: '+15555000001' });
    let broke = true;
    answers.set('+15555000001', () => (broke ? { status: 200, body: { status: 'error', message: 'Insufficient credit: top up your account' } } : null));
    const inc = await open(b, 'CC-SECTOR-1');
    const alarm = await waitFor(() => smtp.to(ADMIN.email).find((m) => m.subject.includes('[ALARM] sms: provider account out of credit')), { timeoutMs: 10000, message: 'credit alarm' });
    expect(alarm.raw).toMatch(/Insufficient/);
    await waitFor(() => record(inc, (n) => n.kind === 'alarm' && n.channel === 'dashboard' && n.status === 'delivered'), { message: 'alarm on the dashboard' });
    const page = await waitFor(() => record(inc, (n) => n.channel === 'sms' && n.kind === 'opened' && n.status === 'retrying'));
    expect(page.error).toMatch(/out of credit/);
    broke = false;
    await waitFor(() => record(inc, (n) => n.channel === 'sms' && n.kind === 'opened' && n.status === 'sent'), { timeoutMs: 10000, message: 'page after top-up' });
    expect(smtp.to(ADMIN.email).filter((m) => m.subject.includes('out of credit'))).toHaveLength(1);
  });

  it('a send that times out after the provider accepted it: uncertain, the e-mail instead, no second SMS within the window', async () => {
    const b = await building('Slow Lane');
    await technician('Lou Tech', b, { phone: '+15556000001', email: 'lou@isp.test' });
    // The gateway takes the message and answers only after our 1.5 s timeout.
    answers.set('+15556000001', () => ({ status: 201, body: { id: 'late' }, delayMs: 3000 }));
    const inc = await open(b, 'SL-SECTOR-1');
    const uncertain = await waitFor(() => record(inc, (n) => n.channel === 'sms' && n.status === 'uncertain'), { timeoutMs: 10000, message: 'uncertain' });
    expect(uncertain.error).toMatch(/no answer within 1500 ms/);
    await waitFor(() => smtp.to('lou@isp.test').some((m) => m.raw.includes(String(inc._id))), { message: 'e-mail instead' });
    // The next look at it is scheduled for the end of the window, not a retry now.
    const recheck = await waitFor(async () => {
      const jobs = await producer.queue(QueueName.NOTIFICATION).getJobs(['delayed']);
      return jobs.find((j) => j?.name === JobName.DELIVER_NOTIFICATION && (j.data as { notificationId: string }).notificationId === String(uncertain._id));
    });
    expect(recheck.opts.delay).toBeGreaterThanOrEqual(59000);
    // Whatever ran meanwhile (the late 201, the e-mail), one SMS only.
    await waitFor(async () => gateway.smsTo('+15556000001').length === 1 && (await record(inc, (n) => n.channel === 'email'))?.status === 'sent');
    expect(gateway.smsTo('+15556000001')).toHaveLength(1);
    expect((await record(inc, (n) => n.channel === 'sms'))?.status).toBe('uncertain');
  });

  it('Level 3 is paged again every N seconds while nobody acknowledges, at most M times', async () => {
    const b = await building('Core Site');
    const escJob = (inc: Incident, r: number) => producer.queue(QueueName.NOTIFICATION).getJob(`esc.${String(inc._id)}.3.r${r}`);
    const inc = await open(b, 'CS-CORE-1', 3);
    await waitFor(() => gateway.acceptedTo(ADMIN.phone, shortId(inc)).length === 3, { timeoutMs: 10000, message: 'page and two repeats' });
    const last = await completed(() => escJob(inc, 2));
    expect(last.returnvalue).toMatch(/^repeated level 3 page 2\/2/);
    expect(await escJob(inc, 3)).toBeUndefined();
    const texts = gateway.acceptedTo(ADMIN.phone, shortId(inc)).map((s) => s.text);
    expect(texts[0]).toMatch(/L3 DOWN/);
    expect(texts.slice(1)).toEqual([expect.stringMatching(/ESCALATED to L3, unacknowledged/), expect.stringMatching(/ESCALATED to L3, unacknowledged/)]);

    const acked = await open(b, 'CS-CORE-2', 3);
    await waitFor(() => gateway.acceptedTo(ADMIN.phone, shortId(acked)).length === 1, { message: 'first page' });
    await repos.incidents.acknowledge(acked._id, 'ada');
    const first = await completed(() => escJob(acked, 1));
    expect(first.returnvalue).toBe('skipped: incident acknowledged');
    expect(gateway.smsTo(ADMIN.phone, shortId(acked))).toHaveLength(1);
  });

  it('a building name in Arabic script goes out as UCS-2, whole, within the segment limit', async () => {
    const b = await building('برج النخيل');
    await technician('Mo Tech', b, { phone: '+15557000001' });
    const inc = await open(b, 'NK-SECTOR-1');
    const [sms] = await waitFor(() => {
      const s = gateway.acceptedTo('+15557000001', shortId(inc));
      return s.length ? s : null;
    }, { message: 'UCS-2 page' });
    expect(sms.text).toContain('برج النخيل');
    expect(sms.encoding).toBe('UCS-2');
    const n = await record(inc, (x) => x.channel === 'sms');
    expect(n).toMatchObject({ smsEncoding: 'UCS-2', smsSegments: 2 });
    expect(sms.text.length).toBeLessThanOrEqual(134);
  });
});
