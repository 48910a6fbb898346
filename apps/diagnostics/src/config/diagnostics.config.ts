import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, Max, Min } from 'class-validator';
import { CommonEnv, loadConfig } from '@isp/platform';

/** diagnostics's configuration: the only reader of process.env in this app. */
export class DiagnosticsConfig extends CommonEnv {
  override PORT = 3002;

  /** How long DOWN events wait before the walk: a PPPoE session back within it is churn. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  HOLD_DOWN_MS = 5000;

  /**
   * A burst cuts the hold-down short (libs/domain topology/burst): once a router's held DOWNs
   * below one device are at least BURST_MIN_NODES and at least BURST_MIN_FRACTION of everything
   * below it, the batch is diagnosed at once. A lone drop, or a few under a small station, keep
   * the hold-down. 0 turns it off. Why these defaults: docs/decisions.md, "Burst".
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  BURST_MIN_NODES = 10;

  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  BURST_MIN_FRACTION = 0.1;

  /** Heartbeat period for core routers (BullMQ job scheduler). */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  HEARTBEAT_INTERVAL_MS = 60000;

  /**
   * Most routers one heartbeat job checks together. The tick makes about one job per second of
   * its spread (5,000 routers at 60 s: about 105 a job); this bounds a job's burst of checks.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  HEARTBEAT_BATCH_MAX = 250;

  /** Off in tests that drive the heartbeat by hand. */
  @Transform(({ obj, key }) => { const raw = (obj as Record<string, unknown>)[key]; return raw === true || raw === 'true' || raw === '1'; })
  @IsBoolean()
  HEARTBEAT_ENABLED = true;

  /** How often the gauges read from the database (open incidents, subscribers online per building) are recomputed; not per scrape. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  METRICS_DB_INTERVAL_MS = 30000;

  /**
   * How often the root cause of every open incident is probed again: a recovery whose UP event
   * never arrived (ingest unreachable at that moment; /tool fetch does not retry) still resolves
   * the incident. 0 turns it off.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  INCIDENT_RECHECK_MS = 120000;

  /**
   * Resolving an incident marks only its root UP; nodes below go UP on their own UP events.
   * Devices still IMPACTED this long after their incident resolved (time for those events to
   * arrive) are probed again by the recheck: UP goes UP, DOWN gets its own finding.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  RESOLVE_REPROBE_AFTER_MS = 30000;

  /**
   * Every heartbeat that finds a router up also compares its sessions (`/ppp/active`, bound DHCP
   * leases) with the stored state and feeds the differences in as status events (source
   * `reconcile`): a lost webhook is healed within one heartbeat. Off: only the router pass does.
   */
  @Transform(({ obj, key }) => { const raw = (obj as Record<string, unknown>)[key]; return raw === undefined ? true : raw === true || raw === 'true' || raw === '1'; })
  @IsBoolean()
  PRESENCE_RECONCILE = true;

  /** A subscriber state younger than this is not compared with the router: its own event may still be on its way (ingest and queue delay). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  PRESENCE_GRACE_MS = 30000;

  /**
   * A router whose API stops answering is judged on its webhooks (libs/domain router-silence):
   * one that posted within this window before the failure was busy, so the heartbeat waits
   * ROUTER_SILENCE_CONFIRM_MS for an event before calling it down.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  ROUTER_ALIVE_WINDOW_MS = 300000;

  /** How long a busy router's API may be silent with no webhook before it is down (degraded-notice delay). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  ROUTER_SILENCE_CONFIRM_MS = 60000;

  /** An event received this long before the API failure was noticed still counts as after it (ingest and queue delay). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  ROUTER_EVENT_GRACE_MS = 5000;

  /**
   * Flap detection (libs/domain flap-detection, Icinga's as the anchor): a subscriber or device
   * whose state changes more than FLAP_MAX_CHANGES times within FLAP_WINDOW_MS is flapping (one
   * notice, no page per flap) until FLAP_QUIET_MS pass with no change. The default flags down,
   * up, down again within 10 minutes (docs/decisions.md, "Flapping").
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  FLAP_MAX_CHANGES = 2;

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  FLAP_WINDOW_MS = 600000;

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  FLAP_QUIET_MS = 180000;

  /**
   * How often the flapping subjects are looked at for the end of their quiet period (one BullMQ
   * job scheduler for all replicas): the end is announced up to this late.
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  FLAP_CHECK_INTERVAL_MS = 30000;

  /**
   * A router with no webhook and no API answer (heartbeat or router pass) for this long is
   * reported once to network admins as silent (a router-silent notice) unless an outage already
   * stands for it; the gateway's coverage report uses the same setting.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  ROUTER_SILENT_AFTER_MS = 300000;

  /** How often routers are looked at for silence (one BullMQ job scheduler for all replicas). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  ROUTER_SILENCE_CHECK_INTERVAL_MS = 60000;

  /** How long a probe result is reused (by every replica) before a router is asked again. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  PROBE_CACHE_MS = 5000;

  /** Echo requests per ping probe; a node is DOWN only when all of them are lost, twice. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20)
  PROBE_PING_COUNT = 3;

  /** Gap between the echoes of one ping probe. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  PROBE_PING_INTERVAL_MS = 200;

  /** Tries per probe before a failure counts (first try included). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  PROBE_ATTEMPTS = 2;

  /** Backoff before the next try; doubles each time. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  PROBE_RETRY_DELAY_MS = 500;

  /** Answer deadline of one probe call to a router. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  PROBE_TIMEOUT_MS = 4000;

  /** Probes in flight per router from one replica, so a storm cannot overload a core router. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  PROBE_CONCURRENCY_PER_ROUTER = 4;

  /** How long the pool fails fast for a router that keeps failing before trying it again. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  PROBE_BREAKER_COOLDOWN_MS = 15000;

  /** Per-hop deadline of a Live Check (the gateway waits about 3.5 s for the whole answer). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  LIVE_CHECK_HOP_TIMEOUT_MS = 2000;

  /** Safety rebuild of the in-memory topology, besides the topology.changed broadcast. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  TOPOLOGY_REFRESH_MS = 300000;

  /** An event about a subject the graph does not know rebuilds it at most this often (a just-created record). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  UNKNOWN_SUBJECT_RELOAD_INTERVAL_MS = 5000;

  /** status-event jobs handled at once by one replica (they are cheap: a lookup and a Redis write). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  MONITORING_CONCURRENCY = 32;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  LIVE_CHECK_CONCURRENCY = 16;
}

export function loadDiagnosticsConfig(env: Record<string, string | undefined> = process.env): DiagnosticsConfig {
  return loadConfig(DiagnosticsConfig, env);
}
