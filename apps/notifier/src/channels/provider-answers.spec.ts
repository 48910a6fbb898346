import { PermanentError, RetryableError } from '@isp/domain';
import { ProviderAlarmError, verdictError } from './delivery-errors';
import { classifyChatWebhook, classifyGenericSms, classifyTwilio, type HttpAnswer } from './provider-answers';

const answer = (status: number, body: unknown = ''): HttpAnswer => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* plain text */
  }
  return { status, text, json };
};
const kind = (v: ReturnType<typeof classifyGenericSms>) => (v.ok ? 'ok' : v.kind);

describe('provider answers', () => {
  it('generic gateway: credit and auth are alarms, whatever the status', () => {
    expect(kind(classifyGenericSms(answer(402, 'Payment Required')))).toBe('credit');
    expect(kind(classifyGenericSms(answer(400, { error: 'Insufficient credit on account' })))).toBe('credit');
    expect(kind(classifyGenericSms(answer(200, { status: 'error', message: 'insufficient_balance' })))).toBe('credit');
    expect(kind(classifyGenericSms(answer(401, 'Unauthorized')))).toBe('auth');
    expect(kind(classifyGenericSms(answer(403, { error: 'key revoked' })))).toBe('auth');
  });

  it('generic gateway: a 2xx with an error body is a failure; permanent only for a bad recipient', () => {
    expect(kind(classifyGenericSms(answer(200, { success: false, error: 'queue full' })))).toBe('transient');
    expect(kind(classifyGenericSms(answer(200, { status: 'failed', reason: 'Invalid destination number' })))).toBe('permanent');
    expect(kind(classifyGenericSms(answer(201, { id: 'm-1', status: 'queued' })))).toBe('ok');
    expect(kind(classifyGenericSms(answer(200, 'OK')))).toBe('ok');
  });

  it('generic gateway: 5xx, 429 and 408 are transient, other 4xx permanent', () => {
    expect([503, 500, 429, 408].map((s) => kind(classifyGenericSms(answer(s))))).toEqual(['transient', 'transient', 'transient', 'transient']);
    expect(kind(classifyGenericSms(answer(400, { error: 'invalid destination number' })))).toBe('permanent');
  });

  it('Twilio: its codes decide (20003 auth; 10001, 20005, 30002 account cannot send); failed message status in a 201 is a failure', () => {
    expect(kind(classifyTwilio(answer(401, { code: 20003, message: 'Authenticate' })))).toBe('auth');
    expect(kind(classifyTwilio(answer(401, { code: 20005, message: 'Account not active' })))).toBe('credit');
    expect(kind(classifyTwilio(answer(400, { code: 10001, message: 'Account is not active' })))).toBe('credit');
    expect(kind(classifyTwilio(answer(400, { code: 21211, message: "The 'To' number is not valid" })))).toBe('permanent');
    expect(kind(classifyTwilio(answer(201, { sid: 'SM1', status: 'queued', error_code: null })))).toBe('ok');
    expect(kind(classifyTwilio(answer(201, { sid: 'SM1', status: 'failed', error_code: 30008 })))).toBe('transient');
    expect(kind(classifyTwilio(answer(503)))).toBe('transient');
  });

  it('chat webhooks: 2xx ok unless the body says not; a revoked hook is permanent', () => {
    expect(kind(classifyChatWebhook(answer(200, 'ok')))).toBe('ok');
    expect(kind(classifyChatWebhook(answer(200, { ok: false, error: 'rate_limited' })))).toBe('transient');
    expect(kind(classifyChatWebhook(answer(410, 'channel_is_archived')))).toBe('permanent');
    expect(kind(classifyChatWebhook(answer(404, 'no_service')))).toBe('permanent');
  });

  it('verdicts become the errors delivery acts on', () => {
    expect(verdictError({ ok: false, kind: 'credit', detail: 'x' }, 'SMS gateway')).toBeInstanceOf(ProviderAlarmError);
    expect(verdictError({ ok: false, kind: 'credit', detail: 'x' }, 'SMS gateway')).toBeInstanceOf(RetryableError);
    expect(verdictError({ ok: false, kind: 'permanent', detail: 'x' }, 'SMS gateway')).toBeInstanceOf(PermanentError);
    expect((verdictError({ ok: false, kind: 'auth', detail: 'x' }, 'SMS gateway') as ProviderAlarmError).alarm).toBe('auth');
  });
});
