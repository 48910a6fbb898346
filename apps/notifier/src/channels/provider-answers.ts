import type { Receipt } from './delivery-channel';
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
/** 63007: no WhatsApp sender with our From address (unregistered, pending approval, another account's): every WhatsApp page fails until it is fixed. */
const TWILIO_AUTH_CODES = new Set([20003, 63007]);
/** WhatsApp throttling (63018 maps WhatsApp's 429/1015/471): worth another try. */
const TWILIO_TRANSIENT_CODES = new Set([63018]);

/**
 * Twilio's Messages API answers JSON with `code` and `message` on errors. A 201 carries the
 * Message resource; a `status` of failed/undelivered or an `error_code` there is a failure too.
 */
export function classifyTwilio(a: HttpAnswer): ProviderVerdict {
  const code = Number(a.json?.code ?? a.json?.error_code ?? NaN);
  if (TWILIO_CREDIT_CODES.has(code) || a.status === 402) return { ok: false, kind: 'credit', detail: `account cannot send, code ${code} (${short(a)})` };
  if (TWILIO_AUTH_CODES.has(code) || a.status === 401 || a.status === 403) return { ok: false, kind: 'auth', detail: `credentials or sender refused, code ${code} (${short(a)})` };
  if (TWILIO_TRANSIENT_CODES.has(code)) return { ok: false, kind: 'transient', detail: `throttled, code ${code} (${short(a)})` };
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

/** Twilio error codes seen on undelivered SMS, in words (Twilio error dictionary 30003-30008). */
const TWILIO_UNDELIVERED: Record<number, string> = {
  30003: 'unreachable destination handset (off or out of coverage)',
  30004: 'message blocked (by the recipient or the carrier)',
  30005: 'unknown destination handset',
  30006: 'landline or unreachable carrier',
  30007: 'filtered by the carrier',
  30008: 'unknown error',
  // WhatsApp through Twilio (error dictionary 630xx).
  63003: 'not a WhatsApp number, or an inactive one',
  63016: 'outside the 24-hour WhatsApp window: a business-initiated message needs an approved template (WHATSAPP_CONTENT_SID)',
  63018: 'WhatsApp rate limit',
  63024: 'invalid WhatsApp recipient',
  63032: 'the user cannot receive this message (WhatsApp policy)',
};

/**
 * A fetched Twilio Message resource as a receipt. `delivered` (and `read`) is the carrier's
 * handset receipt; `undelivered`/`failed` (and `canceled`) are final failures with `error_code`;
 * everything else (accepted, scheduled, queued, sending, sent) may still change. `sent` means the
 * carrier took it: carriers that return no receipt leave a message there for good.
 */
export function twilioReceipt(json: Record<string, unknown> | null): Receipt {
  const status = typeof json?.status === 'string' ? json.status : 'unknown';
  if (status === 'delivered' || status === 'read') return { state: 'delivered', providerStatus: status };
  if (status === 'undelivered' || status === 'failed' || status === 'canceled') {
    const code = json?.error_code === null || json?.error_code === undefined ? NaN : Number(json.error_code);
    const words = typeof json?.error_message === 'string' && json.error_message ? json.error_message : TWILIO_UNDELIVERED[code];
    return { state: 'failed', providerStatus: status, detail: `Twilio: message ${status}${Number.isNaN(code) ? '' : `, error ${code}`}${words ? ` (${words})` : ''}` };
  }
  return { state: 'pending', providerStatus: status };
}

type AtKind = 'ok' | Exclude<ProviderVerdict, { ok: true }>['kind'];
/**
 * Africa's Talking per-recipient status codes (its SMS "Sending" docs). A 201 only says the
 * request was read; each recipient's `statusCode` says whether that message was taken. Recipient
 * faults are permanent for the page (the next channel takes over); a refused sender id or a
 * missing balance stops every page, so they are alarms and keep retrying; gateway trouble retries.
 */
const AT_STATUS: Record<number, { name: string; kind: AtKind }> = {
  100: { name: 'Processed', kind: 'ok' },
  101: { name: 'Sent', kind: 'ok' },
  102: { name: 'Queued', kind: 'ok' },
  401: { name: 'RiskHold', kind: 'permanent' },
  402: { name: 'InvalidSenderId', kind: 'auth' },
  403: { name: 'InvalidPhoneNumber', kind: 'permanent' },
  404: { name: 'UnsupportedNumberType', kind: 'permanent' },
  405: { name: 'InsufficientBalance', kind: 'credit' },
  406: { name: 'UserInBlacklist', kind: 'permanent' },
  407: { name: 'CouldNotRoute', kind: 'transient' },
  409: { name: 'DoNotDisturbRejection', kind: 'permanent' },
  500: { name: 'InternalServerError', kind: 'transient' },
  501: { name: 'GatewayError', kind: 'transient' },
  502: { name: 'RejectedByGateway', kind: 'transient' },
};
const AT_BY_NAME = new Map(Object.entries(AT_STATUS).map(([code, v]) => [v.name.toLowerCase(), Number(code)]));
AT_BY_NAME.set('success', 101); // what the API actually writes for 101

/**
 * Africa's Talking `POST /version1/messaging` (one recipient per request): 201 with
 * `SMSMessageData.Recipients[0].statusCode`; an answer with no recipient names the reason in
 * `SMSMessageData.Message` (e.g. "InvalidSenderId"). 401 is a refused API key.
 */
export function classifyAfricasTalking(a: HttpAnswer): ProviderVerdict {
  if (a.status === 401 || a.status === 403) return { ok: false, kind: 'auth', detail: `API key refused (${short(a)})` };
  if (a.status >= 200 && a.status < 300) {
    const data = (a.json?.SMSMessageData ?? null) as { Message?: unknown; Recipients?: Array<{ statusCode?: unknown; status?: unknown }> } | null;
    const r = Array.isArray(data?.Recipients) ? data.Recipients[0] : undefined;
    const word = String(r ? (r.status ?? '') : (data?.Message ?? '')).trim();
    const code = r && r.statusCode !== undefined ? Number(r.statusCode) : (AT_BY_NAME.get(word.toLowerCase()) ?? NaN);
    const known = AT_STATUS[code];
    if (known?.kind === 'ok') return { ok: true };
    if (known) return { ok: false, kind: known.kind, detail: `recipient status ${code} ${known.name}${word && word !== known.name ? ` (${word})` : ''}` };
    if (CREDIT.test(a.text)) return { ok: false, kind: 'credit', detail: `out of credit (${short(a)})` };
    // Not a status we know: nothing says the message was taken, and nothing says trying again is useless.
    return { ok: false, kind: 'transient', detail: `answered ${a.status} without a known recipient status (${short(a)})` };
  }
  if (CREDIT.test(a.text)) return { ok: false, kind: 'credit', detail: `out of credit (${short(a)})` };
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

/** Telegram's `{ ok: false, error_code, description, parameters: { retry_after, migrate_to_chat_id } }`. */
interface TelegramError {
  ok?: unknown;
  error_code?: unknown;
  description?: unknown;
  parameters?: { retry_after?: unknown; migrate_to_chat_id?: unknown };
}

/**
 * Telegram Bot API `sendMessage`: 200 `{ ok: true, result: Message }` is delivered to the chat.
 * Errors carry the HTTP status in `error_code` and the reason in `description`: 429 "Too Many
 * Requests: retry after N" with `parameters.retry_after` (retried no sooner); 401 (token revoked)
 * and 404 (no such bot: the token is malformed) refuse every page, so they are alarms; 403 (bot
 * blocked by the user, kicked from the group, user deactivated) and 400 (chat not found, a group
 * migrated to a supergroup, entities that cannot be parsed) are this recipient's, permanent.
 */
export function classifyTelegram(a: HttpAnswer): ProviderVerdict {
  const j = (a.json ?? {}) as TelegramError;
  if (a.status >= 200 && a.status < 300 && j.ok === true) return { ok: true };
  const code = Number(j.error_code ?? a.status);
  const what = typeof j.description === 'string' ? j.description : short(a);
  if (code === 429) {
    const after = Number(j.parameters?.retry_after);
    return { ok: false, kind: 'transient', detail: `${code} ${what}`, ...(after > 0 && { retryAfterMs: after * 1000 }) };
  }
  if (code === 401 || code === 404) return { ok: false, kind: 'auth', detail: `bot token refused: ${code} ${what}` };
  if (j.parameters?.migrate_to_chat_id !== undefined) return { ok: false, kind: 'permanent', detail: `${code} ${what}; the group is now chat ${String(j.parameters.migrate_to_chat_id)}: update the contact's telegramChatId` };
  if (a.status >= 200 && a.status < 300) return { ok: false, kind: 'transient', detail: `answered ${a.status} without ok: true (${short(a)})` };
  if (isTransientStatus(code) || isTransientStatus(a.status)) return { ok: false, kind: 'transient', detail: `${code} ${what}` };
  return { ok: false, kind: 'permanent', detail: `${code} ${what}` };
}

/**
 * A Teams Workflows webhook ("When a Teams webhook request is received", Power Automate) answers
 * 202 Accepted once the flow run is queued: the card is posted by the flow after that, so it is
 * `sent`, not proof of delivery. Errors are `{ error: { code, message } }`: 404 (flow deleted or
 * turned off), 400 (a body the trigger refuses), 401/403 (the flow demands a signed-in caller)
 * belong to this contact's webhook: permanent, the next channel takes over; 429 and 5xx retry.
 */
export function classifyTeamsWorkflow(a: HttpAnswer): ProviderVerdict {
  if (a.status >= 200 && a.status < 300) return { ok: true };
  const err = (a.json?.error ?? null) as { code?: unknown; message?: unknown } | null;
  const what = err && typeof err.code === 'string' ? `${a.status} ${err.code}${typeof err.message === 'string' ? `: ${err.message.slice(0, 200)}` : ''}` : short(a);
  if (isTransientStatus(a.status)) return { ok: false, kind: 'transient', detail: `answered ${what}` };
  return { ok: false, kind: 'permanent', detail: `answered ${what}` };
}
