import type { INestApplication } from '@nestjs/common';
import { Types } from 'mongoose';
import { JobName, QueueName } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { type Incident, type Repositories } from '@isp/data';
import { testMongoUrl, testQueuePrefix, testRedisUrl, waitFor } from '../../../test/support';
import { TestHttpGateway, TestSmtpServer, notifierEnv, openRepositories, startNotifier } from './notifier-harness';

describe('notifier escalation', () => {
  const mongoUrl = testMongoUrl('notifier-escalation');
  const redisUrl = testRedisUrl();
  const queuePrefix = testQueuePrefix('notifier-escalation');
  const smtp = new TestSmtpServer();
  const gateway = new TestHttpGateway();
  let app: INestApplication;
  let repos: Repositories;
  let closeDb: () => Promise<void>;
  let producer: JobProducer;
  let building: { _id: Types.ObjectId; name: string };

  beforeAll(async () => {
    await Promise.all([smtp.start(), gateway.start()]);
    ({ repos, close: closeDb } = await openRepositories(mongoUrl));
    building = await repos.buildings.create({ name: 'Dockside', code: 'DCK' } as never);
    await repos.contacts.create({ name: 'Ada Admin', level: 3, phone: '+15551110001' });
    await repos.contacts.create({ name: 'Ted Tech', level: 2, phone: '+15552220001', buildings: [building._id] });
    // Short on purpose: an unacknowledged Level 2 goes to Level 3 after 2 s.
    app = await startNotifier(notifierEnv({ mongoUrl, redisUrl, queuePrefix, gateway, smtp }, { ESCALATE_AFTER_SEC: '2' }));
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
      impactedDevices: 5,
      impactedSubscribers: 50,
      path: [],
    });
    await producer.add(JobName.INCIDENT_CHANGED, { incidentId: String(incident._id), change: 'opened', revision: incident.revision });
    return incident;
  }
  const shortId = (i: Incident) => String(i._id).slice(-6);
  const escalationJob = (i: Incident) => producer.queue(QueueName.NOTIFICATION).getJob(`esc.${String(i._id)}.3`);

  it('an unacknowledged incident goes to the next level after the configured time', async () => {
    const inc = await openSector('DCK-SECTOR-1');
    await waitFor(() => gateway.smsTo('+15552220001', shortId(inc)).length === 1, { timeoutMs: 15000, message: 'opening page to the technician' });
    const [page] = await waitFor(() => {
      const s = gateway.smsTo('+15551110001', shortId(inc));
      return s.length ? s : null;
    }, { timeoutMs: 15000, message: 'escalation page to the admin' });
    expect(page.text).toMatch(/ESCALATED to L3/);
    expect(page.text).toContain('Dockside');
    const after = await repos.incidents.findById(inc._id);
    expect(after).toMatchObject({ state: 'open', escalatedLevel: 3 });
    const escalated = await waitFor(async () => {
      const ns = (await repos.notifications.find({ incident: inc._id })).filter((n) => n.kind === 'escalated' && n.channel === 'sms');
      return ns.length === 1 && ns[0].status === 'sent' ? ns : null;
    });
    expect(escalated[0].recipient).toBe('+15551110001');
    // The technician's opening page is not repeated.
    expect(gateway.smsTo('+15552220001', shortId(inc))).toHaveLength(1);
  });

  it('an acknowledged incident does not escalate', async () => {
    const inc = await openSector('DCK-SECTOR-2');
    // Wait until the escalation check is scheduled, then acknowledge (as the gateway would).
    await waitFor(async () => (await (await escalationJob(inc))?.getState()) === 'delayed', { timeoutMs: 1500, message: 'escalation scheduled' });
    await repos.incidents.acknowledge(inc._id, 'ted');
    const job = await waitFor(async () => {
      const j = await escalationJob(inc);
      return j && (await j.getState()) === 'completed' ? j : null;
    }, { timeoutMs: 15000, message: 'escalation check ran' });
    expect(job.returnvalue).toBe('skipped: incident acknowledged');
    expect(await repos.incidents.findById(inc._id)).toMatchObject({ state: 'acknowledged', escalatedLevel: 2 });
    expect((await repos.notifications.find({ incident: inc._id })).filter((n) => n.kind === 'escalated')).toEqual([]);
    expect(gateway.smsTo('+15551110001', shortId(inc))).toEqual([]);
  });
});
