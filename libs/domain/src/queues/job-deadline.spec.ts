import { JobTimeoutError, withDeadline } from './job-deadline';

describe('withDeadline', () => {
  it('answers what the work answers when it finishes in time', async () => {
    await expect(withDeadline(Promise.resolve(42), 1000, 'job')).resolves.toBe(42);
    await expect(withDeadline(Promise.reject(new Error('boom')), 1000, 'job')).rejects.toThrow('boom');
  });

  it('fails with a retryable JobTimeoutError naming the job once the deadline passes', async () => {
    const never = new Promise<never>(() => undefined);
    const started = Date.now();
    const err = await withDeadline(never, 50, 'job sync-router#7').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobTimeoutError);
    expect((err as Error).message).toMatch(/job sync-router#7 did not finish within 50 ms/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});
