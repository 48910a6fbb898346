import { DynamicModule, Module } from '@nestjs/common';
import { TopologyModule } from '../topology/topology.module';
import { ProbeService } from './probe.service';
import { PROBER, type Prober } from './prober.port';
import { RouterOsProber } from './routeros.prober';

export interface ProbingOptions {
  /** Wraps the RouterOS prober (tests inject faults the simulator cannot script, e.g. one lost probe). */
  wrapProber?: (inner: RouterOsProber) => Prober;
}

@Module({})
export class ProbingModule {
  static forRoot(opts: ProbingOptions = {}): DynamicModule {
    return {
      module: ProbingModule,
      global: true,
      imports: [TopologyModule],
      providers: [RouterOsProber, { provide: PROBER, inject: [RouterOsProber], useFactory: (p: RouterOsProber) => (opts.wrapProber ? opts.wrapProber(p) : p) }, ProbeService],
      exports: [PROBER, ProbeService],
    };
  }
}
