import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@isp/platform';
import { JobName, QueueName } from '@isp/domain';
import type { DiagnosticsConfig } from './config/diagnostics.config';
import { LiveCheckModule } from './live-check/live-check.module';
import { DiagnosticsMetricsModule } from './metrics/metrics.module';
import { MonitoringModule } from './monitoring/monitoring.module';
import { ProbingModule, type ProbingOptions } from './probing/probing.module';
import { TopologyEventsController } from './topology/topology-events.controller';
import { TopologyModule } from './topology/topology.module';

/**
 * diagnostics: consumes monitoring-queue (status events, diagnose batches, heartbeat) and
 * live-check, produces to notification-queue. Broadcasts (topology/router changed) arrive on
 * the Redis transport (bootstrapApp with `broadcasts: true`).
 */
@Module({})
export class AppModule {
  static forRoot(config: DiagnosticsConfig, opts: ProbingOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          appName: 'diagnostics',
          config,
          queues: [QueueName.MONITORING, QueueName.NOTIFICATION, QueueName.LIVE_CHECK, QueueName.SYNC],
          jobs: { [JobName.DIAGNOSE_ROUTER]: { holdDownMs: config.HOLD_DOWN_MS } },
        }),
        DiagnosticsMetricsModule,
        TopologyModule,
        ProbingModule.forRoot(opts),
        MonitoringModule,
        LiveCheckModule,
      ],
      controllers: [TopologyEventsController],
    };
  }
}
