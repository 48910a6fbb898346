import { Inject, Injectable } from '@nestjs/common';
import { isObjectId, MikrotikRouterRepository } from '@isp/data';
import { JobName, NotFoundError, SecretBox } from '@isp/domain';
import { BroadcastPublisher } from '../broadcast/broadcast-publisher';
import { JobProducer } from '../jobs/job-producer';
import { SECRET_BOX } from '../module/platform.tokens';

export interface IssuedRouterToken {
  routerId: string;
  routerName: string;
  /** Shown once. */
  token: string;
  issuedAt: Date;
}

/**
 * The one place a router's webhook token is issued or rotated (the gateway's API, the
 * issue-token CLI, provisioning for a router that has none). It stores the hash (what ingest
 * checks) and the token SecretBox-encrypted (what provisioning writes into the snitch scripts),
 * and tells every ingest replica (ROUTER_CHANGED broadcast) so the new token works at once and
 * the old one stops.
 */
@Injectable()
export class WebhookTokenIssuer {
  constructor(
    private readonly routers: MikrotikRouterRepository,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly broadcasts: BroadcastPublisher,
    private readonly producer: JobProducer,
  ) {}

  /** Issues or rotates, then asks provisioning to re-install the scripts with it (syncRouter). */
  async issue(routerId: string): Promise<IssuedRouterToken> {
    const router = isObjectId(routerId) ? await this.routers.findById(routerId) : null;
    if (!router) throw new NotFoundError('Router', routerId);
    const id = String(router._id);
    const issuedAt = new Date();
    const token = await this.routers.issueWebhookToken(id, this.box);
    if (!token) throw new NotFoundError('Router', id);
    await this.broadcasts.routerChanged({ routerId: id, change: 'token' });
    await this.producer.add(JobName.SYNC_ROUTER, { routerId: id });
    return { routerId: id, routerName: router.name, token, issuedAt };
  }

  /** Same, naming the router by id or by name (the command line). */
  async issueFor(idOrName: string): Promise<IssuedRouterToken> {
    if (isObjectId(idOrName) && (await this.routers.findById(idOrName))) return this.issue(idOrName);
    const byName = await this.routers.findByName(idOrName);
    if (!byName) throw new NotFoundError('Router', idOrName);
    return this.issue(String(byName._id));
  }

  /**
   * For a router that has no token yet (provisioning, in the middle of a router pass that writes
   * the scripts, so no sync job): the new token, or undefined when another replica issued one
   * first (the caller reads that one).
   */
  async issueIfMissing(routerId: string): Promise<string | undefined> {
    const token = await this.routers.issueWebhookToken(routerId, this.box, { onlyIfMissing: true });
    if (token) await this.broadcasts.routerChanged({ routerId, change: 'token' });
    return token ?? undefined;
  }
}
