import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import type { Queue } from 'bullmq';
import { firstValueFrom, timeout } from 'rxjs';
import { Broadcast, JobName, NotFoundError, QueueName, SecretBox, type RouterChangedMessage } from '@isp/domain';
import { isObjectId, MikrotikRouterRepository } from '@isp/data';
import { jobOptions, SECRET_BOX } from '@isp/platform';

/** The Redis-transport client the token service broadcasts on. */
export const BROADCAST_CLIENT = Symbol('WEBHOOK_TOKEN_BROADCAST_CLIENT');
export const SYNC_QUEUE = getQueueToken(QueueName.SYNC);

export interface IssuedRouterToken {
  routerId: string;
  routerName: string;
  /** Shown once. */
  token: string;
  issuedAt: Date;
}

/**
 * Issues or rotates a router's webhook token. Stores the hash (what ingest checks) and the
 * token SecretBox-encrypted (what provisioning writes into the snitch scripts), tells every
 * ingest replica (ROUTER_CHANGED broadcast) so the new token works at once and the old one
 * stops, and asks provisioning to re-install the scripts with it (syncRouter). Returns the
 * token for the caller to show once. Used by the CLI and by the api-gateway.
 */
@Injectable()
export class WebhookTokenService {
  private readonly logger = new Logger(WebhookTokenService.name);

  constructor(
    private readonly routers: MikrotikRouterRepository,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(BROADCAST_CLIENT) private readonly bus: ClientProxy,
    @Inject(SYNC_QUEUE) private readonly syncQueue: Pick<Queue, 'add'>,
  ) {}

  async issue(routerId: string): Promise<IssuedRouterToken> {
    const router = isObjectId(routerId) ? await this.routers.findById(routerId) : null;
    if (!router) throw new NotFoundError('Router', routerId);
    const id = String(router._id);
    const token = await this.routers.issueWebhookToken(id, this.box);
    if (!token) throw new NotFoundError('Router', id);
    await this.broadcast({ routerId: id, change: 'token' });
    const job = { routerId: id };
    await this.syncQueue.add(JobName.SYNC_ROUTER, job, jobOptions(JobName.SYNC_ROUTER, job));
    return { routerId: id, routerName: router.name, token, issuedAt: new Date() };
  }

  /** Same, naming the router by id or by name (the command line). */
  async issueFor(idOrName: string): Promise<IssuedRouterToken> {
    if (isObjectId(idOrName) && (await this.routers.findById(idOrName))) return this.issue(idOrName);
    const byName = await this.routers.findByName(idOrName);
    if (!byName) throw new NotFoundError('Router', idOrName);
    return this.issue(String(byName._id));
  }

  private async broadcast(message: RouterChangedMessage): Promise<void> {
    try {
      await firstValueFrom(this.bus.emit(Broadcast.ROUTER_CHANGED, message).pipe(timeout(3000)), { defaultValue: undefined });
    } catch (err) {
      // The hash is stored; replicas pick it up on their periodic reload (or at once on a miss).
      this.logger.warn(`router ${message.routerId}: token stored but the change broadcast failed: ${(err as Error).message}`);
    }
  }
}
