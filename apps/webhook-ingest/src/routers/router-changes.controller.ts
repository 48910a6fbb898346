import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Broadcast, type RouterChangedMessage } from '@isp/domain';
import { RouterCacheService } from './router-cache.service';

/** Every replica hears router changes (token rotated, allowlist edited, router removed). */
@Controller()
export class RouterChangesController {
  private readonly logger = new Logger(RouterChangesController.name);

  constructor(private readonly cache: RouterCacheService) {}

  @EventPattern(Broadcast.ROUTER_CHANGED)
  async routerChanged(@Payload() _message: RouterChangedMessage): Promise<void> {
    // One reload of the whole (small) auth view: simpler than patching and never half-applied.
    // If it fails, the periodic refresh and the reload on an unknown token catch up.
    await this.cache.reload().catch((err: Error) => this.logger.warn(`router cache: reload after a router change failed: ${err.message}`));
  }
}
