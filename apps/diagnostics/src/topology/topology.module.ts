import { Global, Module } from '@nestjs/common';
import { TopologyService } from './topology.service';

@Global()
@Module({ providers: [TopologyService], exports: [TopologyService] })
export class TopologyModule {}
