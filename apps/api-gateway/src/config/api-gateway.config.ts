import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { CommonEnv, loadConfig, NotPlaceholder } from '@isp/platform';

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

  /** Failed-or-not login attempts allowed per client IP and e-mail within the window. */
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
}

export function loadApiGatewayConfig(env: Record<string, string | undefined> = process.env): ApiGatewayConfig {
  return loadConfig(ApiGatewayConfig, env);
}
