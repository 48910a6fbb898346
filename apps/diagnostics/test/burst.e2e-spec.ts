// A burst of DOWNs under one parent is diagnosed at once, not after the hold-down (a long one
// here, 30 s, so the difference is unambiguous); a lone drop keeps its hold-down, and its session
// coming back within it opens nothing; a burst under an outage already open waits too. Two
// replicas share the queue: one early batch, one incident.
import type { Job } from 'bullmq';
import { JobName } from '@isp/domain';
import { waitFor } from '../../../test/support';
import { DiagnosticsHarness } from './diagnostics-harness';

const HOLD_DOWN_MS = 30000;
const h = new DiagnosticsHarness('diagnostics-burst');
const subs = (station: string, n: number) => Array.from({ length: n }, (_, j) => `${station}-u${j}`);

beforeAll(async () => {
  await h.start();
  for (const [router, code, net] of [['core-b', 'BB', 8], ['core-l', 'BL', 9]] as const) {
    await h.addRouter(router, code);
    await h.addDevice(router, `sector-${code}`, 'sector', `10.${net}.0.1`);
    await h.addDevice(router, `st-${code}`, 'station', `10.${net}.1.10`, `sector-${code}`);
    await h.addSubscribers(router, `st-${code}`, subs(code, 12));
  }
  await Promise.all([h.startApp({ HOLD_DOWN_MS: String(HOLD_DOWN_MS) }), h.startApp({ HOLD_DOWN_MS: String(HOLD_DOWN_MS) })]);
}, 120000);

afterAll(() => h.stop(), 60000);

const diagnoseJobs = async (router: string, states: ('delayed' | 'completed' | 'waiting' | 'active')[]): Promise<Job[]> =>
  (await h.monitoring.getJobs(states)).filter((j) => j.name === JobName.DIAGNOSE_ROUTER && j.data.routerId === h.routers.get(router)!.id);

/** Ends a hold-down by hand (what time would do: the batch runs, its dedupe window ends) and waits for that batch to finish. */
async function runHeldBatch(router: string): Promise<void> {
  const [held] = await diagnoseJobs(router, ['delayed']);
  await held.promote();
  await held.removeDeduplicationKey();
  await waitFor(async () => (await diagnoseJobs(router, ['completed'])).some((j) => j.id === held.id), { message: 'the held batch ran' });
}

it('twelve subscribers of one station drop together: diagnosed at once, one incident, one notification', async () => {
  const station = h.devices.get('st-BB')!;
  h.routers.get('core-b')!.sim.setDeviceUp(station.ip, false);
  const fired = Date.now();
  await h.fire('core-b', subs('BB', 12).map((username) => ({ username, event: 'down' as const })));
  const incident = await waitFor(() => h.repos.incidents.findOpenFor({ kind: 'device', id: station.id as never }), { timeoutMs: HOLD_DOWN_MS / 2, message: 'station incident before the hold-down ends' });
  expect(Date.now() - fired).toBeLessThan(HOLD_DOWN_MS / 2);
  expect(incident).toMatchObject({ level: 1, impactedSubscribers: 12 });
  // One early batch (two replicas saw the burst), queued ahead of the delayed one.
  const early = await diagnoseJobs('core-b', ['active', 'completed']);
  expect(early).toHaveLength(1);
  expect(early[0].data.burstOf).toBeTruthy();
  expect(early[0].processedOn! - fired).toBeLessThan(HOLD_DOWN_MS / 2);
  // The incident is written before its page is queued: wait for the page, then count them.
  await waitFor(async () => (await h.notificationJobs(`inc.${incident._id}.`)).length > 0, { message: 'the opened page queued' });
  expect(await h.notificationJobs(`inc.${incident._id}.`)).toEqual([`inc.${incident._id}.opened.1`]);

  // The delayed batch still runs when its hold-down ends, with whatever came after the early one
  // took its facts: it finds the incident open (no second one, no second page).
  await runHeldBatch('core-b');
  expect(await h.repos.incidents.count({})).toBe(1);
  expect(await h.notificationJobs('inc.')).toEqual([`inc.${incident._id}.opened.1`]);
}, 60000);

it('a burst under an outage already open (it has paged) is left to the hold-down', async () => {
  const routerId = h.routers.get('core-b')!.id;
  // The next hold-down window (the first test ended its batch by hand; the burst claim lasts HOLD_DOWN_MS).
  await h.redis.del(`${h.prefix}:diag:burst:${routerId}`);
  await h.fire('core-b', subs('BB', 12).map((username) => ({ username, event: 'down' as const })));
  await waitFor(async () => (await h.redis.exists(`${h.prefix}:diag:burst:${routerId}`)) === 1, { message: 'the burst seen and claimed' });
  await waitFor(async () => Object.values(await h.monitoring.getJobCounts('waiting', 'active')).every((n) => n === 0), { message: 'status events handled' });
  const early = (await diagnoseJobs('core-b', ['waiting', 'active', 'completed'])).filter((j) => j.data.burstOf);
  expect(early).toHaveLength(1); // the first test's only
  expect(await diagnoseJobs('core-b', ['delayed'])).toHaveLength(1);
  await runHeldBatch('core-b');
  expect(await h.repos.incidents.count({})).toBe(1);
}, 60000);

it('a lone drop keeps its hold-down; its session back within it opens nothing', async () => {
  const routerId = h.routers.get('core-l')!.id;
  const userId = h.users.get('BL-u0')!;
  await h.fire('core-l', [{ username: 'BL-u0', event: 'down' }]);
  await waitFor(async () => (await h.redis.hexists(`${h.prefix}:diag:pending:${routerId}`, userId)) === 1, { message: 'the DOWN held' });
  // Its status event handled (the burst check ran with it): the batch still waits out the hold-down.
  await waitFor(async () => Object.values(await h.monitoring.getJobCounts('waiting', 'active')).every((n) => n === 0), { message: 'status events handled' });
  expect(await diagnoseJobs('core-l', ['waiting', 'active', 'completed'])).toHaveLength(0);
  expect(await diagnoseJobs('core-l', ['delayed'])).toHaveLength(1);

  await h.fire('core-l', [{ username: 'BL-u0', event: 'up' }]);
  await waitFor(async () => (await h.repos.subscribers.findById(userId))?.churnCount === 1, { message: 'counted as churn' });
  await runHeldBatch('core-l');
  expect((await h.repos.subscribers.findById(userId))?.state).toBe('UP');
  expect(await h.repos.downtime.findOpen(userId)).toBeNull();
  expect(await h.repos.incidents.count({})).toBe(1);
}, 60000);
