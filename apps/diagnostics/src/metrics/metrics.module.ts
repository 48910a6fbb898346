import { Global, Module } from '@nestjs/common';
import { DiagnosticsMetrics } from './diagnostics-metrics.service';

/** Diagnostics' own metrics (the platform serves them at /metrics with the process's and the queues'). */
@Global()
@Module({ providers: [DiagnosticsMetrics], exports: [DiagnosticsMetrics] })
export class DiagnosticsMetricsModule {}
