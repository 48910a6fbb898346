import { Inject, Injectable, Logger } from '@nestjs/common';
import { MikrotikRouterRepository, type MikrotikRouter } from '@isp/data';
import { SECRET_BOX, WebhookTokenIssuer } from '@isp/platform';
import { SecretBox } from '@isp/domain';
import { ProvisioningConfig } from '../config/provisioning.config';

/**
 * The router's webhook token as the snitch scripts must carry it. Ingest keeps only its hash, so
 * the token itself is stored SecretBox-encrypted on the router record (`webhookTokenEncrypted`,
 * written whenever a token is issued). A router without one gets a token issued here (if
 * allowed, by the one WebhookTokenIssuer): the scripts are provisioning's, so nothing else
 * depended on the old token.
 */
@Injectable()
export class WebhookTokenVault {
  private readonly logger = new Logger(WebhookTokenVault.name);

  constructor(
    private readonly routers: MikrotikRouterRepository,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly config: ProvisioningConfig,
    private readonly issuer: WebhookTokenIssuer,
  ) {}

  async tokenFor(router: MikrotikRouter): Promise<string | undefined> {
    if (router.webhookTokenEncrypted) return this.box.decrypt(router.webhookTokenEncrypted, 'router.webhookToken', router._id);
    if (!this.config.ISSUE_MISSING_WEBHOOK_TOKEN) return undefined;
    const routerId = String(router._id);
    const token = await this.issuer.issueIfMissing(routerId);
    if (!token) {
      // Another replica issued one first: use that.
      const fresh = await this.routers.findById(routerId);
      return fresh?.webhookTokenEncrypted ? this.box.decrypt(fresh.webhookTokenEncrypted, 'router.webhookToken', router._id) : undefined;
    }
    this.logger.warn({ msg: 'router had no stored webhook token; issued one for its snitch scripts', router: router.name });
    return token;
  }
}
