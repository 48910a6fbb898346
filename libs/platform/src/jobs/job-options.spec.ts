import { JobName, WebhookKind, type StatusEventJob } from '@isp/domain';
import { attemptsWithin, CAPPED_BACKOFF, cappedBackoffDelay, DEFAULT_OUTAGE_RETRY, jobBackoffStrategy, jobOptions } from './job-options';

describe('jobOptions', () => {
  it("applies the app's settings to the job names they name", () => {
    const settings = { [JobName.DIAGNOSE_ROUTER]: { holdDownMs: 400 } };
    // A delivery's retries are its own delayed jobs (the notifier's delivery policy): each try has its id.
    expect(jobOptions(JobName.DELIVER_NOTIFICATION, { notificationId: 'n1', attempt: 2 }, settings)).toMatchObject({ jobId: 'dlv.n1.2' });
    expect(jobOptions(JobName.DIAGNOSE_ROUTER, { routerId: 'r1' }, settings)).toMatchObject({ delay: 400, deduplication: { id: 'diag.r1', ttl: 400 } });
    // The dedupe window is at least a millisecond, as it always was.
    expect(jobOptions(JobName.DIAGNOSE_ROUTER, { routerId: 'r1' }, { [JobName.DIAGNOSE_ROUTER]: { holdDownMs: 0 } })).toMatchObject({ delay: 0, deduplication: { ttl: 1 } });
  });

  it("a burst's early batch runs now, at the front of the queue, once per delayed batch it cuts short", () => {
    const early = jobOptions(JobName.DIAGNOSE_ROUTER, { routerId: 'r1', burstOf: '42' }, { [JobName.DIAGNOSE_ROUTER]: { holdDownMs: 400 } });
    expect(early).toMatchObject({ jobId: 'diag.r1.burst.42', lifo: true });
    expect(early.delay).toBeUndefined();
    expect(early.deduplication).toBeUndefined();
  });

  it('keeps the catalogue defaults without settings', () => {
    expect(jobOptions(JobName.DELIVER_NOTIFICATION, { notificationId: 'n1' })).toMatchObject({ attempts: 6, backoff: { delay: 2000 }, jobId: 'dlv.n1' });
    const diagnose = jobOptions(JobName.DIAGNOSE_ROUTER, { routerId: 'r1' });
    expect(diagnose.delay).toBeUndefined();
    expect(diagnose.deduplication).toBeUndefined();
  });
});

describe('retries that outlast a database outage', () => {
  const r = DEFAULT_OUTAGE_RETRY;

  it('doubles the wait from the first delay up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 40].map((n) => cappedBackoffDelay(n, 500, 30000))).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('sizes the attempts by time: the waits between them cover the window, one try fewer would not', () => {
    const attempts = attemptsWithin(r);
    const waits = (n: number) => Array.from({ length: n - 1 }, (_, i) => cappedBackoffDelay(i + 1, r.firstDelayMs, r.maxDelayMs)).reduce((a, b) => a + b, 0);
    expect(waits(attempts)).toBeGreaterThanOrEqual(15 * 60_000);
    expect(waits(attempts - 1)).toBeLessThan(15 * 60_000);
    // Five tries from 0.5 s (the old rule) covered 7.5 s of waiting.
    expect(attempts).toBeGreaterThan(30);
    expect(attemptsWithin({ ...r, windowMs: 0 })).toBe(1);
  });

  it('gives status events and diagnosis batches that policy, from the settings or by default', () => {
    const outageRetry = { windowMs: 30000, firstDelayMs: 500, maxDelayMs: 1000 };
    const event: StatusEventJob = { routerId: 'r1', source: WebhookKind.PPP, subject: { kind: 'ppp', username: 'u' }, event: 'down', at: '', receivedAt: '' };
    expect(jobOptions(JobName.STATUS_EVENT, event, { outageRetry })).toMatchObject({ attempts: attemptsWithin(outageRetry), backoff: { type: CAPPED_BACKOFF, delay: 500, maxDelay: 1000 } });
    expect(jobOptions(JobName.DIAGNOSE_ROUTER, { routerId: 'r1' }, { outageRetry, [JobName.DIAGNOSE_ROUTER]: { holdDownMs: 400 } })).toMatchObject({ attempts: 32, delay: 400, backoff: { maxDelay: 1000 } });
    expect(jobOptions(JobName.STATUS_EVENT, event)).toMatchObject({ attempts: attemptsWithin(r), backoff: { maxDelay: 30000 } });
  });

  it("the workers' strategy computes the capped type from the job's own options and refuses others", () => {
    const opts = jobOptions(JobName.DIAGNOSE_ROUTER, { routerId: 'r1' }, { outageRetry: { windowMs: 30000, firstDelayMs: 200, maxDelayMs: 1000 } });
    expect([1, 2, 3, 4].map((n) => jobBackoffStrategy(n, CAPPED_BACKOFF, undefined, { opts }))).toEqual([200, 400, 800, 1000]);
    expect(() => jobBackoffStrategy(1, 'linear', undefined, { opts })).toThrow(/unknown backoff type "linear"/);
  });
});
