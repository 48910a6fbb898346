import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { CommonEnv, loadConfig } from '@isp/platform';

const DRIFT_PAIR = '(?:(?:profile|remote-address|caller-id|disabled)=(?:revert|adopt|report)|(?:password|queue|setup)=(?:revert|report))';
const DRIFT_POLICY_RE = new RegExp(`^(${DRIFT_PAIR}(,${DRIFT_PAIR})*)?$`);

const bool = ({ value }: { value: unknown }) => (typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value);

/** provisioning's configuration: the only reader of process.env in this app. */
export class ProvisioningConfig extends CommonEnv {
  override PORT = 3003;

  /** Base URL the routers' snitch scripts POST to (webhook-ingest as seen from the routers). */
  @IsString()
  @Matches(/^https?:\/\/[^\s"]+$/, { message: 'INGEST_PUBLIC_URL must be an http(s) URL without spaces or quotes' })
  INGEST_PUBLIC_URL = 'http://127.0.0.1:3001';

  /** Period of the drift-repairing reconcile of every router. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  RECONCILE_EVERY_MS = 15 * 60 * 1000;

  /** Start the reconcile scheduler (off in tests that drive reconciles by hand). */
  @Transform(bool)
  @IsBoolean()
  RECONCILE_SCHEDULER = true;

  /** MikroTik-Sync jobs processed at once by one replica. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  SYNC_CONCURRENCY = 8;

  /** Calls on the wire at once per router (the pool queues the rest). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(32)
  ROUTER_MAX_CONCURRENT = 4;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  ROUTER_CALL_TIMEOUT_MS = 15000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  ROUTER_CONNECT_TIMEOUT_MS = 5000;

  /** How long a router that failed repeatedly is left alone before one probe (pool circuit breaker). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  ROUTER_BREAKER_COOLDOWN_MS = 15000;

  /** Longest a router pass may hold its router's lock (a crashed replica's lock expires after it). */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  ROUTER_PASS_LOCK_MS = 10 * 60 * 1000;

  /** PPP profile a suspended subscriber's secret is switched to (docs/routeros.md §7, "isolir"). */
  @IsString()
  @Matches(/^[^\s"]+$/)
  SUSPENDED_PROFILE = 'suspended';

  /** Address list suspended subscribers' addresses go into; the suspension filter rules drop its traffic. */
  @IsString()
  @Matches(/^[^\s"]+$/)
  SUSPENDED_ADDRESS_LIST = 'suspended';

  /**
   * The walled garden: addresses or prefixes (comma-separated, e.g. the payment portal) that
   * suspended subscribers may still reach, besides DNS.
   */
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : value))
  @IsString({ each: true })
  @Matches(/^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/, { each: true, message: 'SUSPENDED_WALLED_GARDEN must be IPv4 addresses or prefixes, comma-separated' })
  SUSPENDED_WALLED_GARDEN: string[] = [];

  /** Address list provisioning keeps the walled garden in (the suspension rules accept traffic to it). */
  @IsString()
  @Matches(/^[^\s"]+$/)
  SUSPENDED_WALLED_GARDEN_LIST = 'suspended-walled-garden';

  /** rate-limit of the suspended profile when provisioning has to create it. */
  @IsString()
  SUSPENDED_RATE_LIMIT = '64k/64k';

  /** "profile": suspended profile + address list + kick; "disable": also disable the PPP secret. */
  @IsIn(['profile', 'disable'])
  SUSPEND_MODE: 'profile' | 'disable' = 'profile';

  /** Netwatch probe interval for sectors, backhauls and other infrastructure devices (RouterOS duration). */
  @IsString()
  @Matches(/^\d+(ms|s|m|h)$/)
  NETWATCH_INTERVAL = '30s';

  /** Netwatch probe interval for stations: there are many more of them, and their subscribers' sessions already tell. */
  @IsString()
  @Matches(/^\d+(ms|s|m|h)$/)
  NETWATCH_STATION_INTERVAL = '60s';

  /**
   * A subscriber state younger than this is not compared with the router's sessions (a pass
   * reports the differences to diagnostics): its own webhook may still be on its way.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  PRESENCE_GRACE_MS = 30000;

  /** Managed entries whose subscriber/device no longer exists: "remove" them or only "report". */
  @IsIn(['remove', 'report'])
  ORPHAN_POLICY: 'remove' | 'report' = 'remove';

  /**
   * This deployment's id, carried by every tag it writes (`isp-netops@<id>:...`): nothing without
   * our tag and this id is ever changed or removed. Staging pointed at production's routers must
   * use another id. Unscoped tags from before deployment ids belong to `main` (docs/decisions.md).
   */
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,31}$/, { message: 'DEPLOYMENT_ID must be lower-case letters, digits and dashes (at most 32)' })
  DEPLOYMENT_ID = 'main';

  /**
   * What a router pass does with a manual edit (a managed row of a synced subscriber that no
   * longer says what the database says), per kind: `revert` (write the database's value back),
   * `adopt` (take the router's value into the database; profile, remote-address, caller-id,
   * disabled only) or `report` (leave it, list it in the drift report). Kinds not named: revert.
   * e.g. `caller-id=adopt,password=report`.
   */
  @IsString()
  @Matches(DRIFT_POLICY_RE, { message: 'DRIFT_POLICY must be comma-separated kind=policy pairs: profile|remote-address|caller-id|disabled = revert|adopt|report, password|queue|setup = revert|report' })
  DRIFT_POLICY = '';

  /**
   * A router without a stored (encrypted) webhook token cannot get correct scripts; with this
   * on, provisioning issues one (the old token, if any, stops working once scripts are re-installed).
   */
  @Transform(bool)
  @IsBoolean()
  ISSUE_MISSING_WEBHOOK_TOKEN = true;
}

export function loadProvisioningConfig(env: Record<string, string | undefined> = process.env): ProvisioningConfig {
  return loadConfig(ProvisioningConfig, env);
}
