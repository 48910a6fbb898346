/**
 * The contract between the snitch scripts on the routers (libs/routeros generates them) and
 * webhook-ingest (validates them). Bodies arrive as JSON (v7 `:serialize`) or as
 * application/x-www-form-urlencoded (what `/tool fetch` sends without a Content-Type, and what
 * the v6 scripts use); the field names are the same in both. All values are strings on the wire.
 */
export const WEBHOOK_TOKEN_HEADER = 'x-webhook-token';

export const WebhookKind = {
  PPP: 'ppp-status',
  DHCP: 'dhcp-lease',
  NETWATCH: 'netwatch',
} as const;
export type WebhookKind = (typeof WebhookKind)[keyof typeof WebhookKind];
export const WEBHOOK_KINDS: readonly WebhookKind[] = Object.values(WebhookKind);

/** Path of each webhook under the ingest base URL. */
export const WEBHOOK_PATH_PREFIX = '/api/webhooks/mikrotik';
export function webhookPath(kind: WebhookKind): string {
  return `${WEBHOOK_PATH_PREFIX}/${kind}`;
}

/** PPP profile on-up / on-down. */
export interface PppStatusBody {
  event: 'up' | 'down';
  /** $user */
  user: string;
  /** $"remote-address" */
  address?: string;
  /** $"caller-id": the client's MAC for PPPoE */
  callerId?: string;
  /** [/interface get $interface name] */
  iface?: string;
  /** router clock when the script ran, e.g. "2026-11-28 15:30:01" or "nov/28/2026 15:30:01" */
  ts?: string;
}

/** DHCP server lease-script. */
export interface DhcpLeaseBody {
  /** $leaseBound: "1" bound, "0" released or expired */
  bound: '1' | '0';
  /** $leaseActMAC */
  mac: string;
  /** $leaseActIP */
  ip: string;
  /** $leaseServerName */
  server?: string;
  /** $"lease-hostname" */
  hostname?: string;
  ts?: string;
}

/** Netwatch up-script / down-script (the host is embedded in the script, which v6 needs). */
export interface NetwatchBody {
  host: string;
  status: 'up' | 'down';
  /** netwatch entry name (v7) or comment */
  name?: string;
  ts?: string;
}

export type WebhookBody = PppStatusBody | DhcpLeaseBody | NetwatchBody;

/** Hard limits ingest enforces; the generator keeps its output within them. */
export const WEBHOOK_LIMITS = {
  bodyBytes: 16 * 1024,
  username: 128,
  name: 128,
  hostname: 255,
  ts: 64,
} as const;
