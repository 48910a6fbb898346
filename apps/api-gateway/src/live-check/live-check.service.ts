import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { DeviceRepository, MikrotikRouterRepository, SubscriberRepository } from '@isp/data';
import { JobProducer, queueEventsOnUrl, requestLiveCheck } from '@isp/platform';
import { DeadlineExceededError, type LiveCheckResult, type LiveCheckTarget, NotFoundError, QueueName, UpstreamError } from '@isp/domain';
import type { QueueEvents } from 'bullmq';
import { ApiGatewayConfig } from '../config/api-gateway.config';

/**
 * Live Check is the one request-response path: the gateway puts a job on the live-check queue
 * and waits for diagnostics (any replica) to finish it, which probes root to leaf.
 */
@Injectable()
export class LiveCheckService implements OnModuleDestroy {
  private events?: QueueEvents;

  constructor(
    private readonly producer: JobProducer,
    private readonly routers: MikrotikRouterRepository,
    private readonly devices: DeviceRepository,
    private readonly users: SubscriberRepository,
    private readonly config: ApiGatewayConfig,
  ) {}

  /** One QueueEvents connection per replica, opened on first use. */
  private async queueEvents(): Promise<QueueEvents> {
    if (!this.events) {
      this.events = queueEventsOnUrl(this.config.REDIS_URL, QueueName.LIVE_CHECK, this.config.QUEUE_PREFIX);
      await this.events.waitUntilReady();
    }
    return this.events;
  }

  private async exists(target: LiveCheckTarget): Promise<boolean> {
    if (target.kind === 'router') return Boolean(await this.routers.findById(target.id));
    if (target.kind === 'device') return Boolean(await this.devices.findById(target.id));
    return Boolean(await this.users.findById(target.id));
  }

  async check(target: LiveCheckTarget): Promise<LiveCheckResult> {
    if (!(await this.exists(target))) throw new NotFoundError(target.kind, target.id);
    const events = await this.queueEvents();
    try {
      return await requestLiveCheck(this.producer.queue(QueueName.LIVE_CHECK), events, target, this.config.LIVE_CHECK_TIMEOUT_MS);
    } catch (err) {
      const message = (err as Error).message ?? '';
      // A late answer is dropped with the job (live-check jobs are removed after a minute).
      if (/timed out/i.test(message)) {
        throw new DeadlineExceededError(`Diagnostics did not answer within ${this.config.LIVE_CHECK_TIMEOUT_MS} ms`);
      }
      throw new UpstreamError(`Live Check failed: ${message.slice(0, 300)}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.events?.close();
  }
}
