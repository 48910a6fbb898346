import type { Queue, QueueEvents } from 'bullmq';
import { JobName, type LiveCheckResult, type LiveCheckTarget } from '@isp/domain';
import { jobOptions } from './job-options';

/** How long the gateway waits for diagnostics to answer a Live Check. */
export const LIVE_CHECK_WAIT_MS = 3500;

/**
 * Asks diagnostics for a Live Check and waits for the answer (the one request/response path
 * over BullMQ: exactly one diagnostics replica takes the job). `queue` is the live-check queue,
 * `events` a QueueEvents on the same queue (create it once and reuse it). Rejects when no
 * answer arrives within `timeoutMs` or the check failed (e.g. "subscriber ... not found").
 */
export async function requestLiveCheck(queue: Queue, events: QueueEvents, target: LiveCheckTarget, timeoutMs = LIVE_CHECK_WAIT_MS): Promise<LiveCheckResult> {
  const data = { target };
  const job = await queue.add(JobName.LIVE_CHECK, data, jobOptions(JobName.LIVE_CHECK, data));
  return (await job.waitUntilFinished(events, timeoutMs)) as LiveCheckResult;
}
