import type { ProviderVerdict } from './delivery-errors';

/** The answer of an HTTP provider, read in full. */
export interface HttpAnswer {
  status: number;
  text: string;
  json: Record<string, unknown> | null;
}

/**
 * Statuses worth another try: the provider is busy, throttling or broken for now. Every other
 * 4xx means this request will never be accepted (bad number, bad payload, revoked webhook).
 */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;
}

const CREDIT = /insufficient[\s_-]*(credit|balance|funds)|out[\s_-]*of[\s_-]*(credit|funds)|no[\s_-]*credit|credit[\s_-]*(exhausted|expired)|balance[\s_-]*(too[\s_-]*low|exhausted)|low[\s_-]*balance|payment[\s_-]*required/i;
const INVALID_RECIPIENT = /invalid[\s_-]*(phone|number|destination|recipient|msisdn|to\b)|unknown[\s_-]*(number|subscriber|recipient)|not[\s_-]*a[\s_-]*valid/i;

const short = (a: HttpAnswer) => `${a.status}${a.text ? `: ${a.text.slice(0, 200)}` : ''}`;

/** An answer body that reports an error, whatever the status says (gateways that answer 200 to everything). */
function bodyError(json: Record<string, unknown> | null): boolean {
  if (!json) return false;
  const status = typeof json.status === 'string' ? json.status.toLowerCase() : '';
  return Boolean(json.error) || Boolean(json.errors) || json.success === false || json.ok === false || ['error', 'failed', 'failure', 'rejected', 'undelivered'].includes(status);
}

/**
 * A generic SMS gateway (SMS_PROVIDER=generic): no contract beyond HTTP, so the status and the
 * words of the body decide. Credit and authentication trouble are alarms; a 2xx whose body
 * reports an error is a failure, permanent only when it names a bad recipient.
 */
export function classifyGenericSms(a: HttpAnswer): ProviderVerdict {
  if (CREDIT.test(a.text) || a.status === 402) return { ok: false, kind: 'credit', detail: `out of credit (${short(a)})` };
  if (a.status === 401 || a.status === 403) return { ok: false, kind: 'auth', detail: `credentials refused (${short(a)})` };
  if (a.status >= 200 && a.status < 300) {
    if (!bodyError(a.json)) return { ok: true };
    return { ok: false, kind: INVALID_RECIPIENT.test(a.text) ? 'permanent' : 'transient', detail: `answered ${a.status} with an error: ${a.text.slice(0, 200)}` };
  }
  if (isTransientStatus(a.status)) return { ok: false, kind: 'transient', detail: `answered ${short(a)}` };
  return { ok: false, kind: 'permanent', detail: `answered ${short(a)}` };
}

/** Twilio error codes that mean the account cannot send until someone acts (docs: errors 10001, 20005, 30002; 20003 is authentication). */
const TWILIO_CREDIT_CODES = new Set([10001, 20005, 30002]);
const TWILIO_AUTH_CODES = new Set([20003]);

/**
 * Twilio's Messages API answers JSON with `code` and `message` on errors. A 201 carries the
 * Message resource; a `status` of failed/undelivered or an `error_code` there is a failure too.
 */
export function classifyTwilio(a: HttpAnswer): ProviderVerdict {
  const code = Number(a.json?.code ?? a.json?.error_code ?? NaN);
  if (TWILIO_CREDIT_CODES.has(code) || a.status === 402) return { ok: false, kind: 'credit', detail: `account cannot send, code ${code} (${short(a)})` };
  if (TWILIO_AUTH_CODES.has(code) || a.status === 401 || a.status === 403) return { ok: false, kind: 'auth', detail: `credentials refused (${short(a)})` };
  if (a.status >= 200 && a.status < 300) {
    const status = typeof a.json?.status === 'string' ? a.json.status : '';
    if (status === 'failed' || status === 'undelivered' || (a.json?.error_code !== undefined && a.json?.error_code !== null)) {
      return { ok: false, kind: 'transient', detail: `answered ${a.status} with message status ${status || 'error'} (${short(a)})` };
    }
    return { ok: true };
  }
  if (isTransientStatus(a.status)) return { ok: false, kind: 'transient', detail: `answered ${short(a)}` };
  return { ok: false, kind: 'permanent', detail: `answered ${short(a)}` };
}

/**
 * Slack-style incoming webhooks answer 200 "ok"; a revoked or archived hook answers 403/404/410
 * (permanent for this contact: the next channel takes over). Some servers answer 200 with
 * `{"ok":false}`.
 */
export function classifyChatWebhook(a: HttpAnswer): ProviderVerdict {
  if (a.status >= 200 && a.status < 300) return bodyError(a.json) ? { ok: false, kind: 'transient', detail: `answered ${a.status} with an error: ${a.text.slice(0, 200)}` } : { ok: true };
  if (isTransientStatus(a.status)) return { ok: false, kind: 'transient', detail: `answered ${short(a)}` };
  return { ok: false, kind: 'permanent', detail: `answered ${short(a)}` };
}
