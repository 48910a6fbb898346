import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Broadcast, type RouterChangedMessage, type TopologyChangedMessage } from '@isp/domain';
import { PROBER, type Prober } from '../probing/prober.port';
import { TopologyCacheService } from './topology-cache.service';

/** Broadcasts every replica must act on (Redis transport): rebuild the graph, re-read routers. */
@Controller()
export class TopologyEventsController {
  constructor(
    private readonly topology: TopologyCacheService,
    @Inject(PROBER) private readonly prober: Prober,
  ) {}

  @EventPattern(Broadcast.TOPOLOGY_CHANGED)
  async onTopologyChanged(@Payload() message: TopologyChangedMessage): Promise<void> {
    // A change that names its router concerns that router's rows; a building's change, anything's.
    await this.topology.reload(`broadcast: ${message?.reason ?? 'changed'}`, message?.routerId);
  }

  @EventPattern(Broadcast.ROUTER_CHANGED)
  async onRouterChanged(@Payload() message: RouterChangedMessage): Promise<void> {
    if (message?.change !== 'token' && message?.change !== 'allowlist' && message?.routerId) this.prober.forget?.(message.routerId);
    if (message?.change === 'created' || message?.change === 'removed' || message?.change === 'updated') await this.topology.reload(`router ${message.change}`, message.routerId);
  }
}
