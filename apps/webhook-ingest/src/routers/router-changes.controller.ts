import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Broadcast, type RouterChangedMessage } from '@isp/domain';
import { RouterCacheService } from './router-cache.service';

/** Every replica hears router changes (token rotated, allowlist edited, router removed). */
@Controller()
export class RouterChangesController {
  constructor(private readonly cache: RouterCacheService) {}

  @EventPattern(Broadcast.ROUTER_CHANGED)
  async routerChanged(@Payload() _message: RouterChangedMessage): Promise<void> {
    // One reload of the whole (small) auth view: simpler than patching and never half-applied.
    await this.cache.reload().catch(() => undefined);
  }
}
