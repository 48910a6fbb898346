import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BuildingRepository, IncidentRepository, SubscriberRepository } from '@isp/data';
import { AppMetrics } from '@isp/platform';
import type { NodeState } from '@isp/domain';
import { DiagnosticsConfig } from '../config/diagnostics.config';

/** Outcomes of a diagnosis, as counted (docs: README "Monitoring the monitor"). */
export type FindingOutcome = 'outage' | 'degraded' | 'undetermined' | 'flapping' | 'cleared';

const BATCH_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000];

/**
 * What diagnostics counts. Event-driven series are counted where things happen; the two
 * database gauges (open incidents by level, subscribers online by building) are recomputed on a
 * timer (METRICS_DB_INTERVAL_MS), so a scrape never costs a query and many scrapers cost nothing.
 */
@Injectable()
export class DiagnosticsMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(DiagnosticsMetrics.name);
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly findings;
  private readonly probes;
  private readonly probeSeconds;
  private readonly walkSeconds;
  private readonly batchSize;
  private readonly heartbeatChecks;
  private readonly heartbeatSeconds;
  private readonly heartbeatTick;
  private readonly incidentsOpen;
  private readonly online;

  constructor(
    metrics: AppMetrics,
    private readonly config: DiagnosticsConfig,
    private readonly incidents: IncidentRepository,
    private readonly subscribers: SubscriberRepository,
    private readonly buildings: BuildingRepository,
  ) {
    this.findings = metrics.counter('diagnostics_findings_total', 'Diagnosis findings by outcome (outage, degraded, undetermined, flapping, cleared)', ['outcome']);
    this.probes = metrics.counter('diagnostics_probes_total', 'Probes sent to routers (each try), by node kind and result', ['kind', 'result']);
    this.probeSeconds = metrics.histogram('diagnostics_probe_duration_seconds', 'Time one probe try took, by node kind', ['kind']);
    this.walkSeconds = metrics.histogram('diagnostics_walk_duration_seconds', 'Time to diagnose one hold-down batch (walk, probes and records)');
    this.batchSize = metrics.histogram('diagnostics_holddown_batch_size', 'DOWN facts diagnosed together in one hold-down batch', [], BATCH_BUCKETS);
    this.heartbeatChecks = metrics.counter('diagnostics_heartbeat_checks_total', 'Router heartbeat checks by verdict (UP, DEGRADED, DOWN, UNKNOWN: look again)', ['result']);
    this.heartbeatSeconds = metrics.histogram('diagnostics_heartbeat_check_duration_seconds', 'Time one router heartbeat check took');
    this.heartbeatTick = metrics.gauge('diagnostics_heartbeat_last_tick_timestamp_seconds', 'When this replica last fanned out a heartbeat cycle (Unix time)');
    this.incidentsOpen = metrics.gauge('diagnostics_incidents_open', 'Open or acknowledged incidents by level, from the database', ['level']);
    this.online = metrics.gauge('subscribers_online', 'Subscribers online per building, from the database', ['building']);
  }

  onApplicationBootstrap(): void {
    this.scheduleRefresh(0);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /**
   * The next read METRICS_DB_INTERVAL_MS after the last one ended, not on a fixed beat: on a store
   * slower than the interval (each read counts a whole collection) a beat would pile reads up.
   */
  private scheduleRefresh(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.refresh().finally(() => this.scheduleRefresh(this.config.METRICS_DB_INTERVAL_MS)), ms);
    this.timer.unref();
  }

  finding(outcome: FindingOutcome, n = 1): void {
    if (n > 0) this.findings.inc({ outcome }, n);
  }

  probed(kind: string, result: string, seconds: number): void {
    this.probes.inc({ kind, result });
    this.probeSeconds.observe({ kind }, seconds);
  }

  /** One hold-down batch diagnosed: its size, its time and what it found. */
  diagnosed(s: { facts: number; roots: unknown[]; cleared: number; undetermined: number }, seconds: number): void {
    if (!s.facts) return;
    this.batchSize.observe(s.facts);
    this.walkSeconds.observe(seconds);
    this.finding('outage', s.roots.length);
    this.finding('cleared', s.cleared);
    this.finding('undetermined', s.undetermined);
  }

  heartbeatTicked(): void {
    this.heartbeatTick.set(Date.now() / 1000);
  }

  heartbeatChecked(verdict: NodeState, seconds: number): void {
    this.heartbeatChecks.inc({ result: verdict });
    this.heartbeatSeconds.observe(seconds);
    if (verdict === 'DEGRADED') this.finding('degraded');
  }

  /** Times a piece of work in seconds, for the callers above. */
  static async timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
    const started = process.hrtime.bigint();
    const value = await work();
    return { value, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  }

  private async refresh(): Promise<void> {
    try {
      const [byLevel, byBuilding, buildings] = await Promise.all([this.incidents.countOpenByLevel(), this.subscribers.countOnlineByBuilding(), this.buildings.findAll()]);
      const names = new Map(buildings.map((b) => [String(b._id), b.name]));
      this.incidentsOpen.reset();
      for (const level of [1, 2, 3]) this.incidentsOpen.set({ level: String(level) }, byLevel.get(level) ?? 0);
      this.online.reset();
      for (const [id, n] of byBuilding) this.online.set({ building: id ? (names.get(id) ?? id) : 'none' }, n);
    } catch (err) {
      this.log.warn(`database gauges not refreshed: ${(err as Error).message}`);
    }
  }
}
