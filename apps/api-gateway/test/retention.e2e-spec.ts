// Issue 17 item 4: retention in code. The sweep runs as the housekeeping queue's job on the
// gateway, against the real Redis and MongoDB-compatible store: old finished records go in
// bounded batches, recent ones and open ones stay.
import { getModelToken } from '@nestjs/mongoose';
import { getQueueToken } from '@nestjs/bullmq';
import { Job, type Queue } from 'bullmq';
import { Types, type Model } from 'mongoose';
import { INCIDENT_MODEL, NOTIFICATION_MODEL, USER_DOWNTIME_LOG_MODEL } from '@isp/data';
import { JobName, QueueName, SecretBox, type JobPayloads, type RetentionSweepResult } from '@isp/domain';
import { JobProducer, jobOptions, KEEP_SCHEDULED } from '@isp/platform';
import { waitFor } from '../../../test/support';
import { loadApiGatewayConfig } from '../src/config/api-gateway.config';
import { RETENTION_SCHEDULER_ID } from '../src/retention/retention-scheduler.service';
import { retentionDays } from '../src/retention/retention.service';
import { AUDIT_ENTRY_MODEL } from '../src/audit/audit-entry.schema';
import { RETENTION_TARGET_NAMES } from '../src/retention/retention.targets';
import { startHarness, type Harness } from './gateway-harness';

const DAY = 24 * 3600 * 1000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);
const id = () => new Types.ObjectId();

describe('retention (issue 17 item 4)', () => {
  let h: Harness;
  let queue: Queue;
  const model = (name: string) => h.app.get<Model<unknown>>(getModelToken(name));

  /** Adds one sweep job and waits for its result. */
  async function sweep(): Promise<Record<string, RetentionSweepResult>> {
    const added = await h.app.get(JobProducer).add(JobName.RETENTION_SWEEP, {});
    const done = await waitFor(
      async () => {
        const job = await Job.fromId(queue, added.id!);
        const state = await job?.getState();
        if (state === 'failed') throw new Error(`sweep failed: ${job?.failedReason}`);
        // Read again once completed: the copy read before getState may predate its return value.
        return state === 'completed' ? Job.fromId(queue, added.id!) : undefined;
      },
      { timeoutMs: 20_000, message: 'the retention sweep to complete' },
    );
    return Object.fromEntries((done.returnvalue as RetentionSweepResult[]).map((r) => [r.collection, r]));
  }

  beforeAll(async () => {
    h = await startHarness('retention', {
      RETENTION_EVERY_MS: '3600000',
      RETENTION_BATCH_SIZE: '3',
      RETENTION_MAX_BATCHES: '2',
      RETENTION_DAYS_BY_COLLECTION: 'notifications=30',
      BULL_BOARD: 'false',
    });
    queue = h.app.get<Queue>(getQueueToken(QueueName.HOUSEKEEPING));
    // The scheduler's first sweep runs at once; let it finish on the empty store before seeding.
    await waitFor(async () => (await queue.getJobs(['completed'])).some((j) => j.repeatJobKey), { timeoutMs: 20_000, message: "the scheduler's first sweep" });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('is one job scheduler with a fixed id, whatever the number of replicas', async () => {
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.every])).toEqual([[RETENTION_SCHEDULER_ID, 3600000]]);
  });

  it('deletes old finished records in bounded batches and keeps recent and open ones', async () => {
    const user = id();
    const router = id();
    const log = (startedAt: Date, endedAt: Date | null) => {
      const _id = id();
      return { _id, user: id(), router, startedAt, endedAt, cause: 'self', openKey: endedAt ? String(_id) : 'open' };
    };
    const oldClosed = Array.from({ length: 7 }, () => log(daysAgo(501), daysAgo(500)));
    const oldOpen = { ...log(daysAgo(500), null), user };
    const recent = [log(daysAgo(11), daysAgo(10)), log(daysAgo(399), daysAgo(398))];
    await model(USER_DOWNTIME_LOG_MODEL).collection.insertMany([...oldClosed, oldOpen, ...recent]);

    const incident = (state: string, openedAt: Date, resolvedAt?: Date) => {
      const _id = id();
      return { _id, rootCause: { kind: 'router', id: router, name: 'core', type: 'core' }, level: 3, state, openedAt, ...(resolvedAt && { resolvedAt }), dedupeKey: resolvedAt ? String(_id) : `open:router:${String(id())}`, revision: 1, path: [] };
    };
    const oldResolved = [incident('resolved', daysAgo(451), daysAgo(450)), incident('resolved', daysAgo(420), daysAgo(401))];
    const keptIncidents = [incident('open', daysAgo(500)), incident('acknowledged', daysAgo(450)), incident('resolved', daysAgo(20), daysAgo(19))];
    await model(INCIDENT_MODEL).collection.insertMany([...oldResolved, ...keptIncidents]);

    // Notifications are kept 30 days here (RETENTION_DAYS_BY_COLLECTION); one still retrying stays.
    const notification = (status: string, createdAt: Date) => ({ _id: id(), recipient: 'noc@example.net', channel: 'email', kind: 'opened', idempotencyKey: String(id()), body: 'b', status, attempts: 1, createdAt, updatedAt: createdAt });
    const oldSent = [notification('sent', daysAgo(40)), notification('failed', daysAgo(31))];
    const keptNotifications = [notification('retrying', daysAgo(40)), notification('delivered', daysAgo(29))];
    await model(NOTIFICATION_MODEL).collection.insertMany([...oldSent, ...keptNotifications]);

    // Audit entries: the default 400 days, by the time they were recorded.
    const auditEntry = (at: Date) => ({ _id: id(), at, actor: { id: String(user), name: 'n', email: 'n@example.net', role: 'admin' }, method: 'PATCH', route: '/api/v1/routers/:id', objectType: 'router', objectId: String(router), status: 200, outcome: 'success', changed: [] });
    const oldAudit = [auditEntry(daysAgo(401)), auditEntry(daysAgo(700))];
    const keptAudit = [auditEntry(daysAgo(399)), auditEntry(daysAgo(1))];
    await model(AUDIT_ENTRY_MODEL).collection.insertMany([...oldAudit, ...keptAudit]);

    // First sweep: 2 batches of 3 at most per collection, so one old log is left for the next.
    const first = await sweep();
    expect(first.downtimeLogs).toMatchObject({ deleted: 6, batches: 2, more: true });
    expect(first.incidents).toMatchObject({ deleted: 2, batches: 1, more: false });
    expect(first.notifications).toMatchObject({ deleted: 2, batches: 1, more: false });
    expect(first.audit).toMatchObject({ deleted: 2, batches: 1, more: false });
    expect(Date.parse(first.notifications.cutoff)).toBeCloseTo(Date.now() - 30 * DAY, -5);
    expect(Date.parse(first.incidents.cutoff)).toBeCloseTo(Date.now() - 400 * DAY, -5);
    expect(await model(USER_DOWNTIME_LOG_MODEL).countDocuments({ _id: { $in: oldClosed.map((l) => l._id) } })).toBe(1);

    const second = await sweep();
    expect(second.downtimeLogs).toMatchObject({ deleted: 1, batches: 1, more: false });
    expect(second.incidents.deleted + second.notifications.deleted).toBe(0);

    const left = async (name: string) => (await model(name).find({}, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>()).map((d) => String(d._id)).sort();
    expect(await left(USER_DOWNTIME_LOG_MODEL)).toEqual([oldOpen, ...recent].map((d) => String(d._id)).sort());
    expect(await left(INCIDENT_MODEL)).toEqual(keptIncidents.map((d) => String(d._id)).sort());
    expect(await left(NOTIFICATION_MODEL)).toEqual(keptNotifications.map((d) => String(d._id)).sort());
    expect(await left(AUDIT_ENTRY_MODEL)).toEqual(keptAudit.map((d) => String(d._id)).sort());

    const third = await sweep();
    expect(Object.values(third).map((r) => r.deleted)).toEqual(RETENTION_TARGET_NAMES.map(() => 0));
  });

  it('caps the finished jobs BullMQ keeps by count as well as by age, for every job', () => {
    const payload = { routerId: 'r', routerIds: ['r'], userId: 'u', incidentId: 'i', notificationId: 'n', change: 'opened', revision: 1, state: 'down', at: '2026-01-01T00:00:00Z', toLevel: 2 };
    for (const name of Object.values(JobName)) {
      const opts = jobOptions(name, payload as unknown as JobPayloads[typeof name]);
      for (const keep of [opts.removeOnComplete, opts.removeOnFail]) {
        expect({ name, keep }).toEqual({ name, keep: { age: expect.any(Number), count: expect.any(Number) } });
      }
    }
    for (const keep of Object.values(KEEP_SCHEDULED)) expect(keep).toEqual({ age: expect.any(Number), count: expect.any(Number) });
  });

  it('is configurable per collection, and a bad setting names the variable', () => {
    const base = { JWT_SECRET: 'test-secret-test-secret-test-secret-0123', SECRETS_KEYS: SecretBox.generateKey('k1') };
    const config = loadApiGatewayConfig({ ...base, RETENTION_DAYS: '200', RETENTION_DAYS_BY_COLLECTION: 'downtimeLogs=730, incidents=90' });
    expect(['downtimeLogs', 'incidents', 'notifications', 'audit'].map((n) => retentionDays(config, n))).toEqual([730, 90, 200, 200]);
    expect(retentionDays(loadApiGatewayConfig({ ...base, RETENTION_DAYS_BY_COLLECTION: 'audit=1000' }), 'audit')).toBe(1000);
    expect(retentionDays(loadApiGatewayConfig(base), 'incidents')).toBe(400);
    expect(() => loadApiGatewayConfig({ ...base, RETENTION_DAYS_BY_COLLECTION: 'logs=30' })).toThrow(/RETENTION_DAYS_BY_COLLECTION/);
    expect(() => loadApiGatewayConfig({ ...base, RETENTION_DAYS_BY_COLLECTION: 'incidents=0' })).toThrow(/RETENTION_DAYS_BY_COLLECTION/);
  });
});
