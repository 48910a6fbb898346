import { Type } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { CommonEnv, loadConfig } from '@isp/platform';

const ADDRESS_LIST = /^\s*$|^[0-9a-fA-F:.]+(\/\d{1,3})?(\s*,\s*[0-9a-fA-F:.]+(\/\d{1,3})?)*\s*$/;

/** webhook-ingest's configuration: the only reader of process.env in this app. */
export class WebhookIngestConfig extends CommonEnv {
  override PORT = 3001;

  /**
   * Proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For is believed. Empty: the
   * socket address is the source, X-Forwarded-For is ignored (a router could forge it).
   */
  @IsString()
  @Matches(ADDRESS_LIST, { message: 'TRUSTED_PROXIES must be a comma-separated list of IPs or CIDRs' })
  TRUSTED_PROXIES = '';

  /** Largest webhook body accepted; the snitch scripts send well under 1 KiB. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024)
  WEBHOOK_BODY_LIMIT_BYTES = 16 * 1024;

  /**
   * Per-router token bucket (in memory, per replica: with N replicas a router may get up to N
   * times this). It stops a runaway script, not an outage: a core router whose 10,000 PPPoE
   * sessions drop together fires 10,000 on-down scripts at once, and /tool fetch never retries,
   * so a 429 there is a lost event. Sized for that.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_SECOND = 500;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_BURST = 20000;

  /** Safety-net reload of the router cache (changes normally arrive as a broadcast). */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  ROUTER_CACHE_REFRESH_MS = 60000;

  /** An unknown router id in a token reloads the cache at most this often (a just-created router). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  UNKNOWN_ROUTER_RELOAD_INTERVAL_MS = 2000;

  /** A Redis command that takes longer fails (503) instead of holding the router's request. */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  ENQUEUE_TIMEOUT_MS = 1000;

  /**
   * Enqueue batching: requests share one addBulk round trip; each still gets its 202 only after
   * its batch is stored. 0: a batch is what arrived in one event-loop turn (no added wait; under
   * load that is dozens of requests). Above 0: a batch also waits up to this many ms for more,
   * which the ingest benchmark showed to cost throughput (each request waits longer).
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(50)
  ENQUEUE_BATCH_MS = 0;

  /** Most jobs in one batch; 1 turns batching off. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  ENQUEUE_BATCH_MAX = 200;

  /** Router clock accepted as the event time when within this of ours; otherwise receipt time. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  ROUTER_CLOCK_SKEW_MS = 300000;
}

export function loadWebhookIngestConfig(env: Record<string, string | undefined> = process.env): WebhookIngestConfig {
  return loadConfig(WebhookIngestConfig, env);
}

/** What the token command needs: the database, the broadcast bus, the sync queue, the keyring. */
export class IssueTokenConfig extends CommonEnv {}

export function loadIssueTokenConfig(env: Record<string, string | undefined> = process.env): IssueTokenConfig {
  return loadConfig(IssueTokenConfig, env);
}

export function parseAddressList(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
