import { Global, Module } from '@nestjs/common';
import { TopologyCacheService } from './topology-cache.service';

@Global()
@Module({ providers: [TopologyCacheService], exports: [TopologyCacheService] })
export class TopologyModule {}
