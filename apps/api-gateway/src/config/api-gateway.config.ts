import { Transform, Type } from 'class-transformer';
import { IsArray, IsBoolean, IsEmail, IsInt, IsNumber, IsOptional, IsString, IsTimeZone, Matches, Max, Min, MinLength } from 'class-validator';
import { RETENTION_TARGET_NAMES } from '../retention/retention.targets';
import { CommonEnv, loadConfig, NotPlaceholder } from '@isp/platform';

/** "name=days" for a collection the retention sweep knows. */
const RETENTION_OVERRIDE = new RegExp(`^(${RETENTION_TARGET_NAMES.join('|')})=[1-9]\\d{0,4}$`);

/** An IPv4 or IPv6 address, optionally with a prefix length, or one of proxy-addr's named ranges. */
const PROXY = /^((\d{1,3}\.){3}\d{1,3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)(\/\d{1,3})?$|^(loopback|linklocal|uniquelocal)$/;

/** api-gateway's configuration: the only reader of process.env in this app. */
export class ApiGatewayConfig extends CommonEnv {
  override PORT = 3000;

  /** HMAC key for the admin API's JWTs. Required: a default would be a known key. */
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  @NotPlaceholder()
  JWT_SECRET!: string;

  /** Lifetime of an access token. Short, because a token cannot be revoked before it expires. */
  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 3600)
  JWT_TTL_SEC = 3600;

  /** First admin, created at start when no admin exists (both or neither). */
  @IsOptional()
  @IsEmail()
  ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters' })
  @NotPlaceholder()
  ADMIN_PASSWORD?: string;

  /**
   * Proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For is believed: the client address
   * (login rate limiting, logs) is the first hop not in this list. Empty: the socket's address.
   */
  @Transform(({ obj, key }) => {
    const raw = (obj as Record<string, unknown>)[key];
    return (Array.isArray(raw) ? raw.map(String) : String(raw ?? '').split(',')).map((s) => s.trim()).filter(Boolean);
  })
  @IsArray()
  @Matches(PROXY, { each: true, message: 'TRUSTED_PROXIES must be IP addresses or CIDRs (or loopback, linklocal, uniquelocal), comma-separated' })
  TRUSTED_PROXIES: string[] = [];

  /** Serve the OpenAPI document and Swagger UI at /api/docs. Default: on, except with NODE_ENV=production (see loadApiGatewayConfig). */
  @Transform(({ obj, key }) => { const raw = (obj as Record<string, unknown>)[key]; return raw === true || /^(1|true|yes|on)$/i.test(String(raw)); })
  @IsBoolean()
  API_DOCS = true;

  /** Login attempts allowed per (account, client address) within the window; ten times as many per client address. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT = 10;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOGIN_RATE_WINDOW_SEC = 300;

  /** bcrypt cost for admin passwords. */
  @Type(() => Number)
  @IsInt()
  @Min(4)
  @Max(15)
  BCRYPT_ROUNDS = 11;

  /** How long a Live Check request waits for diagnostics before answering 504. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(30000)
  LIVE_CHECK_TIMEOUT_MS = 3500;

  /** Keep-alive comment interval on the SSE feed (proxies close idle streams). */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  FEED_HEARTBEAT_MS = 15000;

  /**
   * Coverage report: a router with no webhook and no API answer (heartbeat or router pass) for
   * this long is `silent`. Same meaning, and should be the same value, as diagnostics' setting,
   * which sends the notice.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  ROUTER_SILENT_AFTER_MS = 300000;

  /** Serve Bull Board at /api/admin/queues (admin role). */
  // Read the raw string: implicit conversion would turn "false" into true.
  @Transform(({ obj, key }) => { const raw = (obj as Record<string, unknown>)[key]; return raw === undefined ? true : raw === true || /^(1|true|yes|on)$/i.test(String(raw)); })
  @IsBoolean()
  BULL_BOARD = true;

  /** Serve the operator console (apps/console's build) at /. */
  @Transform(({ obj, key }) => { const raw = (obj as Record<string, unknown>)[key]; return raw === undefined ? true : raw === true || /^(1|true|yes|on)$/i.test(String(raw)); })
  @IsBoolean()
  CONSOLE = true;

  /** Where the console's build is; default dist/console under the install root. */
  @IsOptional()
  @IsString()
  CONSOLE_DIR?: string;

  /**
   * Retention (the gateway works the housekeeping queue; README "Retention"): finished records
   * older than this many days are deleted, per collection unless RETENTION_DAYS_BY_COLLECTION
   * says otherwise ("downtimeLogs=730,notifications=90").
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(36500)
  RETENTION_DAYS = 400;

  @Transform(({ obj, key }) => {
    const raw = (obj as Record<string, unknown>)[key];
    return (Array.isArray(raw) ? raw.map(String) : String(raw ?? '').split(',')).map((s) => s.trim()).filter(Boolean);
  })
  @IsArray()
  @Matches(RETENTION_OVERRIDE, { each: true, message: `RETENTION_DAYS_BY_COLLECTION must be "collection=days" pairs, comma-separated; collections: ${RETENTION_TARGET_NAMES.join(', ')}` })
  RETENTION_DAYS_BY_COLLECTION: string[] = [];

  /** How often the retention sweep runs (one job scheduler for all replicas); 0 turns it off. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  RETENTION_EVERY_MS = 3600_000;

  /** Documents deleted per round trip, and round trips per collection per sweep (the rest waits for the next sweep). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  RETENTION_BATCH_SIZE = 500;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  RETENTION_MAX_BATCHES = 100;

  /** The ISP's time zone (IANA name): SLA report months start and end at its midnight. */
  @IsTimeZone({ message: 'REPORT_TIME_ZONE must be an IANA time zone, e.g. Africa/Nairobi' })
  REPORT_TIME_ZONE = 'UTC';

  /** The availability an SLA report compares each row against, in percent. */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(100)
  SLA_TARGET_PCT = 99.5;

  /**
   * HMAC key of the acknowledge links in pages (the notifier's ACK_LINK_SECRET, the same value).
   * Unset: the links are refused (404). Secret.
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'ACK_LINK_SECRET must be at least 32 characters' })
  @NotPlaceholder()
  ACK_LINK_SECRET?: string;
}

export function loadApiGatewayConfig(env: Record<string, string | undefined> = process.env): ApiGatewayConfig {
  const config = loadConfig(ApiGatewayConfig, env);
  // A variable that is not set is not transformed: its default depends on NODE_ENV, read here.
  if (!env.API_DOCS) config.API_DOCS = env.NODE_ENV !== 'production';
  return config;
}
