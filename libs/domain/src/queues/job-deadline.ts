import { withTimeout } from '../util/with-timeout';

/** A job attempt that ran past JOB_TIMEOUT_MS: retryable (BullMQ's attempts and backoff apply). */
export class JobTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not finish within ${ms} ms (JOB_TIMEOUT_MS): attempt failed, to be retried`);
    this.name = 'JobTimeoutError';
  }
}

/**
 * `work`, or a JobTimeoutError once `ms` have passed. Why: BullMQ renews a job's lock for as
 * long as the processor's promise is pending, so a handler stuck on a silent peer would hold its
 * job for ever; failing the attempt releases the lock and lets the retry policy decide. The
 * abandoned handler cannot be cancelled from here: it may still finish later, which handlers
 * tolerate like any re-run (they are idempotent), and a late failure of it is swallowed.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  work.catch(() => undefined); // a late failure of the abandoned handler is nobody's to handle
  return withTimeout(work, ms, () => new JobTimeoutError(what, ms));
}
