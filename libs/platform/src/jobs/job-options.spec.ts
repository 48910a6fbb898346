import { JobName } from '@isp/domain';
import { jobOptions } from './job-options';

describe('jobOptions', () => {
  it("applies the app's settings to the job names they name", () => {
    const settings = { [JobName.DIAGNOSE_ROUTER]: { holdDownMs: 400 } };
    // A delivery's retries are its own delayed jobs (the notifier's delivery policy): each try has its id.
    expect(jobOptions(JobName.DELIVER_NOTIFICATION, { notificationId: 'n1', attempt: 2 }, settings)).toMatchObject({ jobId: 'dlv.n1.2' });
    expect(jobOptions(JobName.DIAGNOSE_ROUTER, { routerId: 'r1' }, settings)).toMatchObject({ delay: 400, deduplication: { id: 'diag.r1', ttl: 400 } });
    // The dedupe window is at least a millisecond, as it always was.
    expect(jobOptions(JobName.DIAGNOSE_ROUTER, { routerId: 'r1' }, { [JobName.DIAGNOSE_ROUTER]: { holdDownMs: 0 } })).toMatchObject({ delay: 0, deduplication: { ttl: 1 } });
  });

  it('keeps the catalogue defaults without settings', () => {
    expect(jobOptions(JobName.DELIVER_NOTIFICATION, { notificationId: 'n1' })).toMatchObject({ attempts: 6, backoff: { delay: 2000 }, jobId: 'dlv.n1' });
    const diagnose = jobOptions(JobName.DIAGNOSE_ROUTER, { routerId: 'r1' });
    expect(diagnose.delay).toBeUndefined();
    expect(diagnose.deduplication).toBeUndefined();
  });
});
