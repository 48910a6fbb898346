import { Injectable, OnModuleDestroy, type MessageEvent } from '@nestjs/common';
import { DeviceRepository, MikrotikRouterRepository, SubscriberRepository } from '@isp/data';
import { JobName, NotFoundError, QueueName, type LiveCheckJob, type LiveCheckProgress, type LiveCheckResult, type LiveCheckTarget } from '@isp/domain';
import { JobProducer, jobOptions, queueEventsOnUrl } from '@isp/platform';
import type { QueueEvents } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { Observable } from 'rxjs';
import { ApiGatewayConfig } from '../config/api-gateway.config';

/** The events of a streamed Live Check, in order: started, hop (one per hop, any order), then result or failed. */
export type LiveCheckStreamEvent =
  | { type: 'started'; data: { checkId: string; target: LiveCheckTarget } }
  | { type: 'hop'; data: LiveCheckProgress }
  | { type: 'result'; data: LiveCheckResult }
  | { type: 'failed'; data: { status: number; message: string } };

/**
 * Live Check hop by hop: the same live-check job the plain endpoint waits on, but the hops the
 * diagnostics runner publishes as job progress are passed on as they arrive. The job id is chosen
 * here, before the add, so no progress event can come before the stream knows which job is its.
 */
@Injectable()
export class LiveCheckStreamService implements OnModuleDestroy {
  private events?: Promise<QueueEvents>;

  constructor(
    private readonly producer: JobProducer,
    private readonly routers: MikrotikRouterRepository,
    private readonly devices: DeviceRepository,
    private readonly users: SubscriberRepository,
    private readonly config: ApiGatewayConfig,
  ) {}

  /** One QueueEvents connection per replica for every stream, opened on first use. */
  private queueEvents(): Promise<QueueEvents> {
    this.events ??= (async () => {
      const events = queueEventsOnUrl(this.config.REDIS_URL, QueueName.LIVE_CHECK, this.config.QUEUE_PREFIX);
      // Every open stream listens on this one emitter.
      events.setMaxListeners(0);
      await events.waitUntilReady();
      return events;
    })();
    return this.events;
  }

  async exists(target: LiveCheckTarget): Promise<boolean> {
    if (target.kind === 'router') return Boolean(await this.routers.findById(target.id));
    if (target.kind === 'device') return Boolean(await this.devices.findById(target.id));
    return Boolean(await this.users.findById(target.id));
  }

  /** 404 before the stream opens when the target does not exist; after that, failures are events. */
  async stream(target: LiveCheckTarget): Promise<Observable<MessageEvent>> {
    if (!(await this.exists(target))) throw new NotFoundError(target.kind, target.id);
    const events = await this.queueEvents();
    const queue = this.producer.queue(QueueName.LIVE_CHECK);
    const timeoutMs = this.config.LIVE_CHECK_TIMEOUT_MS;
    return new Observable<MessageEvent>((sub) => {
      const checkId = `lc.${randomUUID()}`;
      const emit = (e: LiveCheckStreamEvent) => sub.next(e);
      const end = (e: LiveCheckStreamEvent) => {
        emit(e);
        sub.complete();
      };
      const onProgress = ({ jobId, data }: { jobId: string; data: unknown }) => {
        if (jobId === checkId) emit({ type: 'hop', data: data as LiveCheckProgress });
      };
      const onCompleted = ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => {
        if (jobId === checkId) end({ type: 'result', data: returnvalue as LiveCheckResult });
      };
      const onFailed = ({ jobId, failedReason }: { jobId: string; failedReason: string }) => {
        if (jobId === checkId) end({ type: 'failed', data: { status: /not found/i.test(failedReason) ? 404 : 502, message: `Live Check failed: ${failedReason.slice(0, 300)}` } });
      };
      events.on('progress', onProgress);
      events.on('completed', onCompleted);
      events.on('failed', onFailed);
      // A late answer is dropped with the job (live-check jobs are removed after a minute).
      const timer = setTimeout(() => end({ type: 'failed', data: { status: 504, message: `Diagnostics did not answer within ${timeoutMs} ms` } }), timeoutMs);
      const data: LiveCheckJob = { target };
      emit({ type: 'started', data: { checkId, target } });
      queue
        .add(JobName.LIVE_CHECK, data, { ...jobOptions(JobName.LIVE_CHECK, data), jobId: checkId })
        .catch((err: Error) => end({ type: 'failed', data: { status: 502, message: `Live Check could not be queued: ${err.message.slice(0, 200)}` } }));
      return () => {
        clearTimeout(timer);
        events.off('progress', onProgress);
        events.off('completed', onCompleted);
        events.off('failed', onFailed);
      };
    });
  }

  async onModuleDestroy(): Promise<void> {
    await (await this.events)?.close();
  }
}
