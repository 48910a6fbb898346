import type { INestApplication } from '@nestjs/common';
import { Types } from 'mongoose';
import { JobName, type IncidentLevel } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { type Incident, type Repositories } from '@isp/data';
import { testMongoUrl, testQueuePrefix, testRedisUrl, waitFor } from '../../../test/support';
import { FeedListener, TestHttpGateway, TestSmtpServer, notifierEnv, openRepositories, startNotifier } from './notifier-harness';

/**
 * The notifier against a real SMTP server and an HTTP SMS gateway / chat webhook stand-in, with
 * two replicas sharing one queue prefix for the whole file: every count below is also a check
 * that nothing was delivered twice.
 */
describe('notifier (two replicas, real SMTP, HTTP SMS gateway)', () => {
  const mongoUrl = testMongoUrl('notifier-e2e');
  const redisUrl = testRedisUrl();
  const queuePrefix = testQueuePrefix('notifier-e2e');
  const smtp = new TestSmtpServer();
  const gateway = new TestHttpGateway();
  const feed = new FeedListener(redisUrl, queuePrefix);
  const apps: INestApplication[] = [];
  let repos: Repositories;
  let closeDb: () => Promise<void>;
  let producer: JobProducer;

  let riverside: { _id: Types.ObjectId; name: string };
  let hilltop: { _id: Types.ObjectId; name: string };

  beforeAll(async () => {
    await Promise.all([smtp.start(), gateway.start(), feed.start()]);
    ({ repos, close: closeDb } = await openRepositories(mongoUrl));
    riverside = await repos.buildings.create({ name: 'Riverside Towers', code: 'RVT' } as never);
    hilltop = await repos.buildings.create({ name: 'Hilltop Plaza', code: 'HTP' } as never);
    await repos.contacts.create({ name: 'Ann Admin', level: 3, phone: '+15551110001', email: 'ann@isp.test' });
    await repos.contacts.create({ name: 'Bob Admin', level: 3, phone: '+15551110002', email: 'bob@isp.test' });
    await repos.contacts.create({ name: 'Tina Tech', level: 2, phone: '+15552220001', chatWebhook: `${gateway.url}/chat/tina`, buildings: [riverside._id] });
    await repos.contacts.create({ name: 'Tom Tech', level: 2, phone: '+15552220002', buildings: [hilltop._id] });
    await repos.contacts.create({ name: 'Sue Support', level: 1, phone: '+15553330001', email: 'sue@isp.test' });
    const env = notifierEnv({ mongoUrl, redisUrl, queuePrefix, gateway, smtp }, { ESCALATE_AFTER_SEC: '3600' });
    apps.push(await startNotifier(env), await startNotifier(env));
    producer = apps[0].get(JobProducer);
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await closeDb?.();
    await Promise.all([smtp.stop(), gateway.stop(), feed.stop()]);
  });

  async function openIncident(level: IncidentLevel, building: { _id: Types.ObjectId; name: string }, root: { type: string; name: string }, impact = { devices: 0, subscribers: 0 }): Promise<Incident> {
    const kind = root.type === 'core' ? 'router' : root.type === 'subscriber' ? 'subscriber' : 'device';
    const { incident } = await repos.incidents.openOrGet({
      rootCause: { kind, id: new Types.ObjectId(), name: `${root.name}`, type: root.type },
      building: building._id,
      buildingName: building.name,
      level,
      openedAt: new Date(),
      impactedStations: impact.devices,
      impactedDevices: 0,
      impactedSubscribers: impact.subscribers,
      path: [],
    });
    await producer.add(JobName.INCIDENT_CHANGED, { incidentId: String(incident._id), change: 'opened', revision: incident.revision });
    return incident;
  }
  const shortId = (i: Incident) => String(i._id).slice(-6);
  const allSent = async (i: Incident, kind?: string) => {
    const ns = (await repos.notifications.find({ incident: i._id }, 1000)).filter((n) => !kind || n.kind === kind);
    // Chat posts and the feed confirm delivery; SMS and e-mail are accepted by their provider.
    return ns.length > 0 && ns.every((n) => n.status === (n.channel === 'chat' || n.channel === 'dashboard' ? 'delivered' : 'sent')) ? ns : null;
  };

  let core: Incident;

  it('a Level 3 incident reaches every admin by SMS and e-mail, high priority, and nobody else', async () => {
    core = await openIncident(3, riverside, { type: 'core', name: 'RVT-CORE-1' }, { devices: 40, subscribers: 600 });
    const ns = await waitFor(async () => {
      const sent = await allSent(core);
      return sent && sent.length === 5 ? sent : null; // 2 admins x (sms + email) + the feed
    }, { timeoutMs: 20000, message: 'Level 3 deliveries' });
    await waitFor(() => gateway.smsTo('+15551110001', shortId(core)).length === 1 && gateway.smsTo('+15551110002', shortId(core)).length === 1);
    await waitFor(() => smtp.to('ann@isp.test').length === 1 && smtp.to('bob@isp.test').length === 1);

    const sms = gateway.smsTo('+15551110001', shortId(core))[0];
    expect(sms.text).toContain('Riverside Towers');
    expect(sms.text.length).toBeLessThanOrEqual(160);
    expect(sms.authorization).toBe('Bearer test-gateway-key');
    expect(sms.idempotencyKey).toContain(String(core._id));
    expect(smtp.to('ann@isp.test')[0].subject).toContain('[L3 DOWN] Riverside Towers');
    expect(ns.filter((n) => n.channel !== 'dashboard').every((n) => n.priority === 'high' && n.attempts === 1 && n.sentAt)).toBe(true);
    // Technicians and support are not paged for a Level 3.
    expect(gateway.sms.filter((s) => s.text.includes(shortId(core)) && !s.to.startsWith('+1555111'))).toEqual([]);
    expect(smtp.to('sue@isp.test')).toEqual([]);
    expect(feed.notifications().some((n) => n.incidentId === String(core._id) && n.kind === 'opened')).toBe(true);
  });

  it('a Level 2 text names the building, the root device and the impact, and reaches the technician in scope', async () => {
    const sector = await openIncident(2, riverside, { type: 'sector', name: 'RVT-SECTOR-NORTH' }, { devices: 7, subscribers: 93 });
    await waitFor(() => allSent(sector), { timeoutMs: 20000 });
    const [sms] = await waitFor(() => {
      const s = gateway.smsTo('+15552220001', shortId(sector));
      return s.length ? s : null;
    });
    expect(sms.text).toContain('Riverside Towers');
    expect(sms.text).toContain('RVT-SECTOR-NORTH');
    expect(sms.text).toMatch(/7 stations, 0 devices, 93 subscribers/);
    const chat = await waitFor(() => gateway.chat.find((c) => c.hook === 'tina' && c.text.includes(shortId(sector))));
    expect(chat.hasBlocks).toBe(true);
    expect(chat.text).toContain('Riverside Towers');
    // Tom covers another building; admins are Level 3.
    expect(gateway.sms.filter((s) => s.text.includes(shortId(sector)) && s.to !== '+15552220001')).toEqual([]);
    const n = await repos.notifications.find({ incident: sector._id });
    expect(n.find((x) => x.channel === 'chat')?.recipient).toBe('chat:Tina Tech'); // the webhook URL is not copied into records
  });

  it('a Level 1 incident pages nobody and appears on the dashboard feed', async () => {
    const station = await openIncident(1, hilltop, { type: 'station', name: 'HTP-CPE-0042' }, { devices: 0, subscribers: 1 });
    const msg = await waitFor(() => feed.messages.find((m) => m.type === 'notification' && m.data.incidentId === String(station._id)), { timeoutMs: 20000 });
    expect(msg).toMatchObject({ type: 'notification', data: { kind: 'opened', level: 1, buildingName: 'Hilltop Plaza' } });
    const ns = await waitFor(() => allSent(station));
    expect(ns.map((n) => n.channel)).toEqual(['dashboard']);
    expect(gateway.sms.filter((s) => s.text.includes(shortId(station)))).toEqual([]);
    expect(smtp.mails.filter((m) => m.raw.includes(String(station._id)))).toEqual([]);
  });

  it('the resolve follows the opening page to the same people, whatever the roster says now', async () => {
    // Since the page: Ann went inactive and a new admin joined. Neither changes who hears "resolved".
    const ann = (await repos.contacts.findAll()).find((c) => c.name === 'Ann Admin')!;
    await repos.contacts.update(ann._id, { active: false });
    await repos.contacts.create({ name: 'Zed Admin', level: 3, phone: '+15551110009', email: 'zed@isp.test' });
    const resolved = await repos.incidents.resolve(core._id);
    await producer.add(JobName.INCIDENT_CHANGED, { incidentId: String(core._id), change: 'resolved', revision: resolved!.revision });

    await waitFor(() => allSent(core, 'resolved').then((ns) => ns && ns.length === 5), { timeoutMs: 20000, message: 'resolve deliveries' });
    await waitFor(() => gateway.smsTo('+15551110001', 'RESOLVED').length === 1 && gateway.smsTo('+15551110002', 'RESOLVED').length === 1);
    await waitFor(() => smtp.to('ann@isp.test').length === 2 && smtp.to('bob@isp.test').length === 2);
    expect(gateway.smsTo('+15551110001', 'RESOLVED')[0].text).toContain('Riverside Towers');
    expect(gateway.smsTo('+15551110009')).toEqual([]);
    expect(smtp.to('zed@isp.test')).toEqual([]);
    await repos.contacts.update(ann._id, { active: true });
  });

  it('two replicas deliver each notification exactly once, however often the change is queued', async () => {
    const incidents: Incident[] = [];
    for (let i = 0; i < 6; i++) incidents.push(await openIncident(3, hilltop, { type: 'core', name: `HTP-CORE-${i}` }, { devices: i, subscribers: 10 * i }));
    // The same change queued again under other job ids (as if diagnostics had retried), landing on both replicas.
    for (const inc of incidents) {
      for (let r = 2; r <= 4; r++) await producer.add(JobName.INCIDENT_CHANGED, { incidentId: String(inc._id), change: 'opened', revision: r });
    }
    for (const inc of incidents) {
      await waitFor(() => allSent(inc).then((ns) => ns && ns.length === 7), { timeoutMs: 30000, message: `deliveries of ${String(inc._id)}` }).catch(async (e) => {
        const q = producer.queue('notification-queue');
        for (const n of await repos.notifications.find({ incident: inc._id })) {
          const job = await q.getJob(`dlv.${String(n._id)}`);
          console.log(JSON.stringify([n.channel, n.recipient, n.status, n.attempts, n.error, job ? await job.getState() : 'no job', job?.failedReason, job?.returnvalue, job?.attemptsMade]));
        }
        throw e;
      }); // 3 admins x 2 + feed
    }
    for (const inc of incidents) {
      for (const phone of ['+15551110001', '+15551110002', '+15551110009']) expect(gateway.smsTo(phone, `#${shortId(inc)}`)).toHaveLength(1);
      for (const mail of ['ann@isp.test', 'bob@isp.test', 'zed@isp.test']) expect(smtp.to(mail).filter((m) => m.messageId.includes(String(inc._id)))).toHaveLength(1);
      const feedCopies = feed.notifications().filter((n) => n.incidentId === String(inc._id) && n.kind === 'opened');
      expect(feedCopies).toHaveLength(1);
    }
  });

  it('the SMTP server down for a while: e-mail is retried, then delivered exactly once; SMS is not held up', async () => {
    const port = smtp.port;
    await smtp.stop();
    const inc = await openIncident(3, riverside, { type: 'core', name: 'RVT-CORE-2' }, { devices: 3, subscribers: 30 });
    // SMS goes out while e-mail keeps failing and being retried.
    await waitFor(() => gateway.smsTo('+15551110002', shortId(inc)).length === 1, { timeoutMs: 20000 });
    const failing = await waitFor(async () => {
      const mails = (await repos.notifications.find({ incident: inc._id })).filter((n) => n.channel === 'email');
      return mails.length === 3 && mails.every((n) => n.attempts >= 2 && n.status !== 'sent') ? mails : null;
    }, { timeoutMs: 20000, message: 'e-mail retries while SMTP is down' });
    expect(failing.some((n) => /ECONNREFUSED|ECONNECTION|connect/i.test(n.error ?? ''))).toBe(true);

    await smtp.start(port);
    const sent = await waitFor(() => allSent(inc), { timeoutMs: 30000, message: 'delivery after SMTP is back' });
    for (const mail of ['ann@isp.test', 'bob@isp.test', 'zed@isp.test']) {
      expect(smtp.to(mail).filter((m) => m.messageId.includes(String(inc._id)))).toHaveLength(1);
    }
    expect(sent.filter((n) => n.channel === 'email').every((n) => n.attempts >= 2 && !n.error)).toBe(true);
  });

  it('a permanent error (invalid number, rejected address) is recorded once and not retried', async () => {
    await repos.contacts.create({ name: 'Wrong Number', level: 2, phone: '+15550000000', email: 'rejected@isp.test', buildings: [hilltop._id] });
    const inc = await openIncident(2, hilltop, { type: 'backhaul', name: 'HTP-BH-1' }, { devices: 12, subscribers: 140 });
    const failed = await waitFor(async () => {
      const ns = (await repos.notifications.find({ incident: inc._id })).filter((n) => n.contact && n.status === 'failed');
      return ns.length === 2 ? ns : null;
    }, { timeoutMs: 20000, message: 'permanent failures recorded' });
    // Tom (scoped to Hilltop) is paged normally alongside.
    await waitFor(() => gateway.smsTo('+15552220002', shortId(inc)).length === 1);
    const sms = failed.find((n) => n.channel === 'sms')!;
    const mail = failed.find((n) => n.channel === 'email')!;
    expect(sms).toMatchObject({ attempts: 1, status: 'failed' });
    expect(sms.error).toMatch(/400.*invalid destination/);
    expect(mail).toMatchObject({ attempts: 1, status: 'failed' });
    expect(mail.error).toMatch(/550/);
    expect(gateway.smsTo('+15550000000')).toHaveLength(1);
  });
});
