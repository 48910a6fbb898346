import { Inject, Injectable, Logger } from '@nestjs/common';
import { MikrotikRouterRepository, type MikrotikRouter } from '@isp/data';
import { PLATFORM_CONFIG, SECRET_BOX } from '@isp/platform';
import { SecretBox } from '@isp/domain';
import type { ProvisioningConfig } from '../config/provisioning.config';
import { BroadcastClient } from './broadcast.client';

/**
 * The router's webhook token as the snitch scripts must carry it. Ingest keeps only its hash, so
 * the token itself is stored SecretBox-encrypted on the router record (`webhookTokenEncrypted`,
 * written whenever a token is issued). A router without one gets a token issued here (if
 * allowed): the scripts are provisioning's, so nothing else depended on the old token.
 */
@Injectable()
export class WebhookTokenVault {
  private readonly logger = new Logger(WebhookTokenVault.name);

  constructor(
    private readonly routers: MikrotikRouterRepository,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(PLATFORM_CONFIG) private readonly config: ProvisioningConfig,
    private readonly broadcasts: BroadcastClient,
  ) {}

  async tokenFor(router: MikrotikRouter): Promise<string | undefined> {
    if (router.webhookTokenEncrypted) return this.box.decrypt(router.webhookTokenEncrypted, 'router.webhookToken', router._id);
    if (!this.config.ISSUE_MISSING_WEBHOOK_TOKEN) return undefined;
    const routerId = String(router._id);
    const token = await this.routers.issueWebhookToken(routerId, this.box, { onlyIfMissing: true });
    if (!token) {
      // Another replica issued one first: use that.
      const fresh = await this.routers.findById(routerId);
      return fresh?.webhookTokenEncrypted ? this.box.decrypt(fresh.webhookTokenEncrypted, 'router.webhookToken', router._id) : undefined;
    }
    this.logger.warn({ msg: 'router had no stored webhook token; issued one for its snitch scripts', router: router.name });
    await this.broadcasts.routerChanged({ routerId, change: 'token' }).catch((err: Error) => this.logger.warn(`token broadcast failed: ${err.message}`));
    return token;
  }
}
