import { isIn, isIP, isString, length, maxLength } from 'class-validator';
import { normaliseMac, WEBHOOK_LIMITS, WebhookKind, type DhcpLeaseBody, type NetwatchBody, type PppStatusBody } from '@isp/domain';
import { parseRouterTime, ROUTER_TIME_SHAPES, sanitiseText } from './normalise';
import { RejectReason, WebhookRejection } from './webhook-rejection';

/** A validated webhook body of each kind: the contract of libs/domain, with only the fields that were sent. */
export interface WebhookBodies {
  [WebhookKind.PPP]: PppStatusBody;
  [WebhookKind.DHCP]: DhcpLeaseBody;
  [WebhookKind.NETWATCH]: NetwatchBody;
}

/**
 * The rules of one field: the clean value (undefined when absent) or a rejection naming the
 * field. They use class-validator's checks (isIn, isIP, length...), called directly: building a
 * DTO instance and walking its decorator metadata per request cost more than the checks.
 */
type Rule = (value: unknown, field: string) => unknown;
type Rules<T> = { [F in keyof Required<T>]: Rule };

const PRINTABLE = /^[^\p{Cc}\p{Cs}]*$/u;
const ROUTER_TIME_MESSAGE = `ts must be the router clock as ${ROUTER_TIME_SHAPES}`;

function invalid(field: string, message: string): WebhookRejection {
  return new WebhookRejection(400, RejectReason.VALIDATION, message, field);
}

const oneOf =
  (values: readonly string[], message: string): Rule =>
  (v, f) => {
    if (!isIn(v, values as string[])) throw invalid(f, message);
    return v;
  };

const string: Rule = (v, f) => {
  if (!isString(v)) throw invalid(f, `${f} must be a string`);
  return v;
};

const printable: Rule = (v, f) => {
  if (!PRINTABLE.test(v as string)) throw invalid(f, `${f} must not contain control characters`);
  return v;
};

const ipv4: Rule = (v, f) => {
  if (!isIP(v, 4)) throw invalid(f, `${f} must be an IPv4 address`);
  return v;
};

/** RouterOS scripts send "" for a value they do not have (no caller id, no hostname): absent. */
const optional =
  (rule: Rule): Rule =>
  (v, f) =>
    v === undefined || v === null || v === '' ? undefined : rule(v, f);

/** A username: the subscriber's PPP login, any printable text, quotes and unicode included. */
const username: Rule = (v, f) => {
  string(v, f);
  if (!length(v, 1, WEBHOOK_LIMITS.username)) throw invalid(f, `${f} must be 1 to ${WEBHOOK_LIMITS.username} characters`);
  return printable(v, f);
};

const text =
  (max: number): Rule =>
  (v, f) => {
    string(v, f);
    if (!maxLength(v, max)) throw invalid(f, `${f} must be at most ${max} characters`);
    return printable(v, f);
  };

/** Text the subscriber controls (a DHCP client's hostname): cleaned, never a reason to drop the event. */
const lenientText =
  (max: number): Rule =>
  (v, f) =>
    v === undefined || v === null ? undefined : typeof v === 'string' ? sanitiseText(v, max) || undefined : string(v, f);

/** A MAC in any case and separator, normalised to upper-case colon form. */
const mac: Rule = (v, f) => {
  string(v, f);
  const normal = normaliseMac(v);
  if (normal === null) throw invalid(f, `${f} must be a MAC address (e.g. AA:BB:CC:DD:EE:FF, any case or separator)`);
  return normal;
};

/** The router clock, in either RouterOS date shape (see parseRouterTime). */
const routerTime: Rule = (v, f) => {
  string(v, f);
  if ((v as string).length > WEBHOOK_LIMITS.ts || parseRouterTime(v as string) === null) throw invalid(f, ROUTER_TIME_MESSAGE);
  return v;
};

/** Fields in the order they are checked: the first one wrong is the one the error names. */
const RULES: { [K in WebhookKind]: Rules<WebhookBodies[K]> } = {
  /** PPP profile on-up / on-down. */
  [WebhookKind.PPP]: {
    event: oneOf(['up', 'down'], 'event must be "up" or "down"'),
    user: username,
    address: optional(ipv4),
    /** A MAC for PPPoE, an address for L2TP/PPTP: kept as text (the mapper normalises a MAC). */
    callerId: optional(text(64)),
    iface: optional(text(WEBHOOK_LIMITS.name)),
    ts: optional(routerTime),
  },
  /** DHCP server lease-script. */
  [WebhookKind.DHCP]: {
    bound: oneOf(['1', '0'], 'bound must be "1" (bound) or "0" (released)'),
    mac,
    ip: ipv4,
    server: optional(text(WEBHOOK_LIMITS.name)),
    hostname: lenientText(WEBHOOK_LIMITS.hostname),
    ts: optional(routerTime),
  },
  /** Netwatch up-script / down-script. */
  [WebhookKind.NETWATCH]: {
    host: ipv4,
    status: oneOf(['up', 'down'], 'status must be "up" or "down"'),
    name: optional(text(WEBHOOK_LIMITS.name)),
    ts: optional(routerTime),
  },
};

/**
 * Validates a webhook body (JSON or form fields, all values strings on the wire) against the
 * rules of its kind. Unknown fields are dropped instead of refused (a newer snitch script adding
 * a field must not lose events); the error names the first field that was wrong.
 */
export function validateWebhookBody<K extends WebhookKind>(kind: K, body: unknown): WebhookBodies[K] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new WebhookRejection(400, RejectReason.MALFORMED_BODY, 'body must be a JSON object or form fields');
  }
  const fields = body as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [field, rule] of Object.entries(RULES[kind] as Record<string, Rule>)) {
    const value = rule(Object.hasOwn(fields, field) ? fields[field] : undefined, field);
    if (value !== undefined) out[field] = value;
  }
  return out as unknown as WebhookBodies[K];
}
