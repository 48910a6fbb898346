// Issue 17 item 2, notifier side: an un-acknowledged incident escalates again from the
// un-acknowledge (a new escalation round; the acknowledged round's checks are stale), the
// escalation is filed in the incident's timeline events, and e-mail and chat pages carry a signed
// acknowledge link in the name of their contact (SMS and RESOLVED pages do not).
import type { INestApplication } from '@nestjs/common';
import { Types } from 'mongoose';
import { ACK_LINK_PARAM, JobName, QueueName, verifyAckLink } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { type Incident, type Repositories } from '@isp/data';
import { testMongoUrl, testQueuePrefix, testRedisUrl, waitFor } from '../../../test/support';
import { TestHttpGateway, TestSmtpServer, notifierEnv, openRepositories, startNotifier } from './notifier-harness';

const SECRET = 'ack-link-e2e-secret-0123456789abcdefgh';
const PUBLIC_URL = 'https://noc.isp.test';

/** The token of the first acknowledge link in a text (mail bodies may be quoted-printable: soft breaks removed first). */
function linkToken(text: string): string | null {
  const flat = text.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const m = new RegExp(`${PUBLIC_URL}/api/v1/ack-links\\?${ACK_LINK_PARAM}=([A-Za-z0-9_.-]+)`).exec(flat);
  return m ? m[1] : null;
}

describe('un-acknowledge restarts escalation; acknowledge links in pages', () => {
  const mongoUrl = testMongoUrl('notifier-ack-unack');
  const queuePrefix = testQueuePrefix('notifier-ack-unack');
  const smtp = new TestSmtpServer();
  const gateway = new TestHttpGateway();
  let app: INestApplication;
  let repos: Repositories;
  let closeDb: () => Promise<void>;
  let producer: JobProducer;
  let building: { _id: Types.ObjectId; name: string };
  let tech: { _id: Types.ObjectId };

  beforeAll(async () => {
    await Promise.all([smtp.start(), gateway.start()]);
    ({ repos, close: closeDb } = await openRepositories(mongoUrl));
    building = await repos.buildings.create({ name: 'Harbour', code: 'HRB' } as never);
    await repos.contacts.create({ name: 'Ada Admin', level: 3, phone: '+15553330001' });
    tech = await repos.contacts.create({ name: 'Ted Tech', level: 2, phone: '+15554440001', email: 'ted@isp.test', chatWebhook: `${gateway.url}/chat/ted`, buildings: [building._id] });
    app = await startNotifier(notifierEnv({ mongoUrl, redisUrl: testRedisUrl(), queuePrefix, gateway, smtp }, { ESCALATE_AFTER_SEC: '2', PUBLIC_URL, ACK_LINK_SECRET: SECRET, ACK_LINK_TTL_SEC: '3600' }));
    producer = app.get(JobProducer);
  });

  afterAll(async () => {
    await app?.close();
    await closeDb?.();
    await Promise.all([smtp.stop(), gateway.stop()]);
  });

  async function openSector(name: string): Promise<Incident> {
    const { incident } = await repos.incidents.openOrGet({
      rootCause: { kind: 'device', id: new Types.ObjectId(), name, type: 'sector' },
      building: building._id,
      buildingName: building.name,
      level: 2,
      openedAt: new Date(),
      impactedDevices: 3,
      impactedSubscribers: 30,
      path: [],
    });
    await producer.add(JobName.INCIDENT_CHANGED, { incidentId: String(incident._id), change: 'opened', revision: incident.revision });
    return incident;
  }
  const shortId = (i: Incident) => String(i._id).slice(-6);
  const job = (id: string) => producer.queue(QueueName.NOTIFICATION).getJob(id);
  /** The job once it has finished, read in one go (state and return value of the same snapshot). */
  const finished = (id: string, message: string) =>
    waitFor(async () => {
      const j = await job(id);
      return j?.finishedOn ? j : null;
    }, { timeoutMs: 15000, message });

  it('e-mail and chat pages carry a link signed for their contact; SMS does not', async () => {
    const inc = await openSector('HRB-SECTOR-1');
    const mail = await waitFor(() => smtp.to('ted@isp.test').find((m) => m.raw.includes(shortId(inc)) || m.subject.includes('HRB-SECTOR-1')) ?? null, { timeoutMs: 15000, message: 'opening e-mail' });
    const chat = await waitFor(() => gateway.chat.find((c) => c.hook === 'ted' && c.text.includes(shortId(inc))) ?? null, { timeoutMs: 15000, message: 'opening chat post' });
    const sms = await waitFor(() => gateway.smsTo('+15554440001', shortId(inc))[0] ?? null, { timeoutMs: 15000, message: 'opening SMS' });
    expect(sms.text).not.toContain('ack-links');
    // A real Slack link (not escaped like names are), and plain text in the mail.
    expect(chat.text).toMatch(/\n<https:\/\/noc\.isp\.test\/api\/v1\/ack-links\?ack_token=[^|>]+\|Acknowledge>$/);
    for (const text of [mail.raw, chat.text]) {
      const token = linkToken(text);
      expect(token).not.toBeNull();
      const r = verifyAckLink(token!, SECRET);
      expect(r).toMatchObject({ ok: true, claims: { incidentId: String(inc._id), contactId: String(tech._id) } });
      if (r.ok) expect(r.claims.expiresAt - Date.now()).toBeGreaterThan(3500_000);
    }
    // Each page its own link (single use is per link).
    expect(linkToken(mail.raw)).not.toBe(linkToken(chat.text));
    await repos.incidents.acknowledge(inc._id, 'ted');
  });

  it('an un-acknowledged incident escalates again from the un-acknowledge, and the escalation is in its timeline events', async () => {
    const inc = await openSector('HRB-SECTOR-2');
    const id = String(inc._id);
    await waitFor(async () => (await (await job(`esc.${id}.3`))?.getState()) === 'delayed', { timeoutMs: 5000, message: 'escalation scheduled' });
    await repos.incidents.acknowledge(inc._id, 'ted', new Date(), 'on it');
    const stale = await finished(`esc.${id}.3`, 'first escalation check ran');
    expect(stale.returnvalue).toBe('skipped: incident acknowledged');
    expect(gateway.smsTo('+15553330001', shortId(inc))).toEqual([]);

    // What the gateway does on POST /incidents/:id/unacknowledge.
    const reopened = (await repos.incidents.unacknowledge(inc._id))!;
    expect(reopened).toMatchObject({ state: 'open', escalationRound: 1 });
    expect(reopened.acknowledgedBy).toBeUndefined();
    const unackedAt = Date.now();
    await producer.add(JobName.INCIDENT_CHANGED, { incidentId: id, change: 'unacknowledged', revision: reopened.revision });

    const [page] = await waitFor(() => {
      const s = gateway.smsTo('+15553330001', shortId(inc));
      return s.length ? s : null;
    }, { timeoutMs: 15000, message: 'escalation page after the un-acknowledge' });
    expect(page.text).toMatch(/ESCALATED to L3/);
    // Counted from the un-acknowledge (2 s), not from the opening.
    const check = await finished(`esc.${id}.3.u1`, 'new round escalation check ran');
    expect(check.returnvalue).toBe('escalated to 3');
    expect(check.timestamp + (check.opts.delay ?? 0)).toBeGreaterThanOrEqual(unackedAt + 1500);
    expect(await repos.incidents.findById(inc._id)).toMatchObject({ state: 'open', escalatedLevel: 3 });
    const events = await waitFor(async () => {
      const es = await repos.incidentEvents.forIncident(id);
      return es.some((e) => e.type === 'escalated') ? es : null;
    });
    expect(events.filter((e) => e.type === 'escalated')).toEqual([expect.objectContaining({ level: 3 })]);
  });

  it('an escalation check scheduled before an acknowledge and un-acknowledge is stale', async () => {
    const inc = await openSector('HRB-SECTOR-3');
    const id = String(inc._id);
    await waitFor(async () => (await (await job(`esc.${id}.3`))?.getState()) === 'delayed', { timeoutMs: 5000, message: 'escalation scheduled' });
    await repos.incidents.acknowledge(inc._id, 'ted');
    const reopened = (await repos.incidents.unacknowledge(inc._id))!;
    await producer.add(JobName.INCIDENT_CHANGED, { incidentId: id, change: 'unacknowledged', revision: reopened.revision });
    // The old round's check fires on an open incident, but stands down for the new round's.
    const old = await finished(`esc.${id}.3`, 'old escalation check ran');
    expect(old.returnvalue).toBe('skipped: un-acknowledged since, escalation restarted');
    const fresh = await finished(`esc.${id}.3.u1`, 'new round escalation check ran');
    expect(fresh.returnvalue).toBe('escalated to 3');
    await waitFor(() => gateway.smsTo('+15553330001', shortId(inc)).length === 1, { timeoutMs: 15000, message: 'one escalation page' });
  });
});
