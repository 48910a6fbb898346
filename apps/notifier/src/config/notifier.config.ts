import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';
import { CommonEnv, loadConfig, NotPlaceholder } from '@isp/platform';

/** Reads the raw string: implicit conversion would turn "false" into true. Unset = default (true). */
function envFlag({ obj, key }: { obj: unknown; key: string }): boolean {
  const raw = (obj as Record<string, unknown>)[key];
  return raw === undefined ? true : raw === true || /^(1|true|yes|on)$/i.test(String(raw));
}

/**
 * notifier's configuration: the only reader of process.env in this app. With nothing set, only
 * the dashboard feed, chat and Teams deliver; SMS, e-mail, Telegram and WhatsApp say at start-up
 * that they are disabled.
 */
export class NotifierConfig extends CommonEnv {
  override PORT = 3004;

  /** Jobs one replica works on at once. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  NOTIFIER_CONCURRENCY = 8;

  /** JSON or YAML routing rules; unset = the built-in defaults (DESIGN.md section 4). */
  @IsOptional()
  @IsString()
  ROUTING_RULES_FILE?: string;

  /** YAML message templates; unset = apps/notifier/src/templates/messages.yaml as shipped. */
  @IsOptional()
  @IsString()
  TEMPLATES_FILE?: string;

  /** Seconds an incident may stay unacknowledged before it goes to the next level (a rule may override). */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  ESCALATE_AFTER_SEC = 900;

  /** First retry delay of a failed delivery; doubles per try up to DELIVERY_BACKOFF_MAX_MS. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  DELIVERY_BACKOFF_MS = 2000;

  /** Longest wait between two tries of one delivery. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  DELIVERY_BACKOFF_MAX_MS = 60000;

  /** A page is retried this long after it was recorded (the life of the incident, capped), then it fails and raises an alarm. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  DELIVERY_GIVE_UP_MS = 3600000;

  /** After failing this long on one channel, the page also goes to the same contact's other channels. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  DELIVERY_FAILOVER_AFTER_MS = 300000;

  /** After failing this long, network admins get an alarm through another channel and on the dashboard. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  DELIVERY_ALARM_AFTER_MS = 600000;

  /** One alarm per channel and cause within this time, however many pages fail. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  DELIVERY_ALARM_REPEAT_MS = 3600000;

  /**
   * A send whose outcome is unknown (timeout after the request went out, worker lost mid-send) is
   * 'uncertain' and not sent again for this long; afterwards only if the incident is still open and unacknowledged.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  DELIVERY_UNCERTAIN_WINDOW_MS = 900000;

  /** Growth of an open incident is paged again only once impact reaches this multiple of the last paged one (2 = doubling). */
  @Type(() => Number)
  @IsNumber()
  @Min(1.01)
  REPAGE_IMPACT_FACTOR = 2;

  /** Changes of one incident within this window make one message. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  REPAGE_MERGE_WINDOW_MS = 60000;

  /** Level 3 pages are repeated this often while nobody acknowledges... */
  @Type(() => Number)
  @IsNumber()
  @Min(1)
  L3_REPEAT_EVERY_SEC = 900;

  /** ...at most this many times (0: never repeated). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  L3_REPEAT_MAX = 3;

  /** A delivery left 'sending' longer than this by a dead worker is taken over. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  DELIVERY_STALE_MS = 120000;

  /** Timeout of one provider call (HTTP or SMTP). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  SEND_TIMEOUT_MS = 10000;

  /** Label in message texts. */
  @IsString()
  ORG_NAME = 'ISP NetOps';

  // --- Acknowledge links ------------------------------------------------------------------
  /**
   * Where people reach the API gateway (e.g. https://noc.example.net): e-mail and chat pages then
   * carry an acknowledge link. Unset: no link.
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s?#]+$/, { message: 'PUBLIC_URL must be an http(s) URL without query or fragment' })
  PUBLIC_URL?: string;

  /** HMAC key of the links (the gateway's ACK_LINK_SECRET, same value); required with PUBLIC_URL. Secret. */
  @ValidateIf((c: NotifierConfig) => Boolean(c.PUBLIC_URL) || c.ACK_LINK_SECRET !== undefined)
  @IsString({ message: 'ACK_LINK_SECRET is required when PUBLIC_URL is set' })
  @MinLength(32, { message: 'ACK_LINK_SECRET must be at least 32 characters' })
  @NotPlaceholder()
  ACK_LINK_SECRET?: string;

  /** How long an acknowledge link works after its page was written. */
  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(30 * 24 * 3600)
  ACK_LINK_TTL_SEC = 24 * 3600;

  // --- SMS over HTTP ---------------------------------------------------------------------
  /** 'generic' (SMS_URL + SMS_AUTH_HEADER + SMS_BODY_TEMPLATE), 'twilio' or 'africastalking'; 'none' disables SMS. */
  @IsIn(['generic', 'twilio', 'africastalking', 'none'])
  SMS_PROVIDER: 'generic' | 'twilio' | 'africastalking' | 'none' = 'generic';

  /**
   * Generic: the gateway's send URL (SMS is disabled when unset). Twilio: API base, default
   * https://api.twilio.com. Africa's Talking: API base, default https://api.africastalking.com
   * (the sandbox app: https://api.sandbox.africastalking.com).
   */
  @IsOptional()
  @Matches(/^https?:\/\//, { message: 'SMS_URL must be an http(s) URL' })
  SMS_URL?: string;

  /** Generic: one header "Name: value" sent with every request, e.g. "Authorization: Bearer ...". Secret. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9-]+:\s?.+$/, { message: 'SMS_AUTH_HEADER must look like "Header-Name: value"' })
  SMS_AUTH_HEADER?: string;

  /**
   * Generic: request body with placeholders {{to}} {{from}} {{text}} {{priority}} {{idempotencyKey}};
   * values are JSON-escaped when SMS_CONTENT_TYPE is JSON, URL-encoded when it is a form.
   */
  @IsString()
  SMS_BODY_TEMPLATE = '{"to":"{{to}}","from":"{{from}}","text":"{{text}}","priority":"{{priority}}","reference":"{{idempotencyKey}}"}';

  @IsIn(['application/json', 'application/x-www-form-urlencoded'])
  SMS_CONTENT_TYPE = 'application/json';

  /** Sender id or number. */
  @IsString()
  SMS_FROM = 'NetOps';

  @IsOptional()
  @IsString()
  TWILIO_ACCOUNT_SID?: string;

  /** Secret. */
  @IsOptional()
  @IsString()
  TWILIO_AUTH_TOKEN?: string;

  /**
   * Twilio: how long after a send its delivery receipt is awaited (the Message resource is read
   * again and again meanwhile). No final receipt by then: the notification stays `sent`, with
   * Twilio's last status in `receiptStatus`.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  SMS_RECEIPT_WAIT_MS = 1800000;

  /** First look at a Twilio receipt this long after the send; the wait doubles per look up to SMS_RECEIPT_POLL_MAX_MS. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  SMS_RECEIPT_POLL_MS = 15000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  SMS_RECEIPT_POLL_MAX_MS = 300000;

  /** Africa's Talking app username ('sandbox' for the sandbox app). */
  @IsOptional()
  @IsString()
  AT_USERNAME?: string;

  /** Africa's Talking API key. Secret. */
  @IsOptional()
  @IsString()
  AT_API_KEY?: string;

  /** Africa's Talking approved sender id or short code; unset: the account's default sender. */
  @IsOptional()
  @IsString()
  AT_SENDER_ID?: string;

  /** An Africa's Talking balance below this (account currency) raises a low-balance alarm; 0: never read. */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  AT_LOW_BALANCE = 0;

  /** The Africa's Talking balance is read at most this often (after a successful send). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  AT_BALANCE_CHECK_EVERY_MS = 900000;

  /** Parts one SMS may take (153 GSM-7 or 67 UCS-2 characters each when more than one); longer texts are shortened. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  SMS_MAX_SEGMENTS = 1;

  /** SMS per window, shared by all replicas (counted in Redis). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SMS_RATE_LIMIT = 10;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  SMS_RATE_WINDOW_MS = 1000;

  // --- E-mail over SMTP --------------------------------------------------------------------
  /** smtp://user:pass@host:587 or smtps://...; e-mail is disabled when unset. Secret (password). */
  @IsOptional()
  @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM = 'ISP NetOps <netops@localhost>';

  // --- Chat webhook and dashboard -----------------------------------------------------------
  /** Post to contacts' Slack-compatible webhooks. */
  @Transform(envFlag)
  @IsBoolean()
  CHAT_ENABLED = true;

  @Transform(envFlag)
  @IsBoolean()
  DASHBOARD_FEED_ENABLED = true;

  // --- Telegram, WhatsApp, Microsoft Teams ---------------------------------------------------
  /** Telegram bot token from @BotFather ("123456:ABC-..."); Telegram is disabled when unset. Secret. */
  @IsOptional()
  @Matches(/^[0-9]+:[A-Za-z0-9_-]+$/, { message: 'TELEGRAM_BOT_TOKEN must look like "123456789:AA..." (from @BotFather)' })
  TELEGRAM_BOT_TOKEN?: string;

  /** Bot API base: https://api.telegram.org, or a self-hosted Bot API server. */
  @Matches(/^https?:\/\//, { message: 'TELEGRAM_API_URL must be an http(s) URL' })
  TELEGRAM_API_URL = 'https://api.telegram.org';

  /**
   * WhatsApp sender number (E.164) registered with Twilio; WhatsApp is disabled when unset. Uses
   * TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.
   */
  @IsOptional()
  @Matches(/^\+[1-9][0-9]{6,14}$/, { message: 'WHATSAPP_FROM must be an E.164 number starting with +' })
  WHATSAPP_FROM?: string;

  /** An approved WhatsApp Content template (HX...) with variables {{1}} subject and {{2}} text; unset: free-form text (delivered only within 24 h of the person's last message). */
  @IsOptional()
  @Matches(/^HX[0-9a-fA-F]{32}$/, { message: 'WHATSAPP_CONTENT_SID must be a Content SID (HX followed by 32 hex digits)' })
  WHATSAPP_CONTENT_SID?: string;

  /** Twilio API base for WhatsApp. */
  @Matches(/^https?:\/\//, { message: 'WHATSAPP_API_URL must be an http(s) URL' })
  WHATSAPP_API_URL = 'https://api.twilio.com';

  /** Post to contacts' Microsoft Teams Workflows webhooks. */
  @Transform(envFlag)
  @IsBoolean()
  TEAMS_ENABLED = true;

  /**
   * A channel that has failed for every recipient (two or more, no success in between) for this
   * long is reported to network admins as down, once per DELIVERY_ALARM_REPEAT_MS.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  CHANNEL_DOWN_AFTER_MS = 300000;
}

export function loadNotifierConfig(env: Record<string, string | undefined> = process.env): NotifierConfig {
  return loadConfig(NotifierConfig, env);
}
