import { PermanentError, RetryableError } from '@isp/domain';
import { ProviderAlarmError, RateLimitedError, verdictError } from './delivery-errors';
import { classifyAfricasTalking, classifyChatWebhook, classifyGenericSms, classifyTeamsWorkflow, classifyTelegram, classifyTwilio, twilioReceipt, type HttpAnswer } from './provider-answers';

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

  it('Twilio receipts: delivered/read are delivered, undelivered/failed/canceled failed with the error code, the rest pending', () => {
    expect(twilioReceipt({ sid: 'SM1', status: 'delivered', error_code: null })).toEqual({ state: 'delivered', providerStatus: 'delivered' });
    expect(twilioReceipt({ status: 'read' }).state).toBe('delivered');
    for (const status of ['accepted', 'scheduled', 'queued', 'sending', 'sent']) expect(twilioReceipt({ status, error_code: null })).toEqual({ state: 'pending', providerStatus: status });
    expect(twilioReceipt({ status: 'undelivered', error_code: 30003, error_message: null })).toEqual({
      state: 'failed',
      providerStatus: 'undelivered',
      detail: 'Twilio: message undelivered, error 30003 (unreachable destination handset (off or out of coverage))',
    });
    expect(twilioReceipt({ status: 'failed', error_code: '30008', error_message: 'Unknown error' }).detail).toBe('Twilio: message failed, error 30008 (Unknown error)');
    expect(twilioReceipt({ status: 'canceled', error_code: null }).detail).toBe('Twilio: message canceled');
    expect(twilioReceipt(null)).toEqual({ state: 'pending', providerStatus: 'unknown' });
  });

  it("Africa's Talking: each recipient status decides, whatever the 201 says", () => {
    const at = (statusCode: number, status: string, http = 201) =>
      kind(classifyAfricasTalking(answer(http, { SMSMessageData: { Message: 'Sent to 0/1 Total Cost: 0', Recipients: [{ statusCode, number: '+254711000001', status, cost: '0', messageId: 'None' }] } })));
    expect([at(100, 'Processed'), at(101, 'Success'), at(102, 'Queued')]).toEqual(['ok', 'ok', 'ok']);
    expect(at(405, 'InsufficientBalance')).toBe('credit');
    expect(at(402, 'InvalidSenderId')).toBe('auth');
    expect([403, 404, 406, 409, 401].map((c) => at(c, 'x'))).toEqual(['permanent', 'permanent', 'permanent', 'permanent', 'permanent']);
    expect([407, 500, 501, 502].map((c) => at(c, 'x'))).toEqual(['transient', 'transient', 'transient', 'transient']);
    const v = classifyAfricasTalking(answer(201, { SMSMessageData: { Recipients: [{ statusCode: 403, status: 'InvalidPhoneNumber', number: '+2547' }] } }));
    expect(v).toEqual({ ok: false, kind: 'permanent', detail: 'recipient status 403 InvalidPhoneNumber' });
  });

  it("Africa's Talking: no recipient in the answer, a refused key, and gateway trouble", () => {
    expect(kind(classifyAfricasTalking(answer(201, { SMSMessageData: { Message: 'InvalidSenderId', Recipients: [] } })))).toBe('auth');
    expect(kind(classifyAfricasTalking(answer(201, { SMSMessageData: { Message: 'something new', Recipients: [] } })))).toBe('transient');
    expect(kind(classifyAfricasTalking(answer(401, 'The supplied authentication is invalid')))).toBe('auth');
    expect(kind(classifyAfricasTalking(answer(400, 'Invalid phone number: +1')))).toBe('permanent');
    expect(kind(classifyAfricasTalking(answer(503, 'Service Unavailable')))).toBe('transient');
  });

  it('chat webhooks: 2xx ok unless the body says not; a revoked hook is permanent', () => {
    expect(kind(classifyChatWebhook(answer(200, 'ok')))).toBe('ok');
    expect(kind(classifyChatWebhook(answer(200, { ok: false, error: 'rate_limited' })))).toBe('transient');
    expect(kind(classifyChatWebhook(answer(410, 'channel_is_archived')))).toBe('permanent');
    expect(kind(classifyChatWebhook(answer(404, 'no_service')))).toBe('permanent');
  });

  it('Telegram: ok true is delivered; 429 carries retry_after; 401/404 refuse the bot (alarm); 403 and 400 are the recipient\'s', () => {
    const tg = (status: number, description: string, parameters?: unknown) => classifyTelegram(answer(status, { ok: false, error_code: status, description, ...(parameters !== undefined && { parameters }) }));
    expect(kind(classifyTelegram(answer(200, { ok: true, result: { message_id: 7 } })))).toBe('ok');
    expect(tg(429, 'Too Many Requests: retry after 34', { retry_after: 34 })).toEqual({ ok: false, kind: 'transient', detail: '429 Too Many Requests: retry after 34', retryAfterMs: 34000 });
    expect(kind(tg(401, 'Unauthorized'))).toBe('auth');
    expect(kind(tg(404, 'Not Found'))).toBe('auth');
    expect(kind(tg(403, 'Forbidden: bot was blocked by the user'))).toBe('permanent');
    expect(kind(tg(403, "Forbidden: bot can't initiate conversation with a user"))).toBe('permanent');
    expect(kind(tg(400, 'Bad Request: chat not found'))).toBe('permanent');
    const migrated = tg(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -1001234 });
    expect(migrated).toMatchObject({ kind: 'permanent', detail: expect.stringContaining('now chat -1001234') });
    expect(kind(tg(502, 'Bad Gateway'))).toBe('transient');
    expect(kind(classifyTelegram(answer(502, '<html>Bad Gateway</html>')))).toBe('transient');
  });

  it('Teams Workflows: any 2xx (202) is accepted; 429 and 5xx retry; 400/401/404 are this webhook\'s (permanent), with the flow\'s error code', () => {
    expect(kind(classifyTeamsWorkflow(answer(202, '')))).toBe('ok');
    expect(kind(classifyTeamsWorkflow(answer(429, { error: { code: 'TooManyRequests', message: 'Rate limit is exceeded.' } })))).toBe('transient');
    expect(kind(classifyTeamsWorkflow(answer(503)))).toBe('transient');
    expect(classifyTeamsWorkflow(answer(404, { error: { code: 'WorkflowNotFound', message: 'gone' } }))).toEqual({ ok: false, kind: 'permanent', detail: 'answered 404 WorkflowNotFound: gone' });
    expect(kind(classifyTeamsWorkflow(answer(401, { error: { code: 'DirectApiAuthorizationRequired', message: 'x' } })))).toBe('permanent');
  });

  it('Twilio WhatsApp: 63007 (no such WhatsApp sender) is an alarm, 63018 throttling retries, 63016 in a receipt names the 24-hour window', () => {
    expect(kind(classifyTwilio(answer(400, { code: 63007, message: "Twilio could not find a Channel with the specified From address" })))).toBe('auth');
    expect(kind(classifyTwilio(answer(429, { code: 63018, message: 'Rate limit exceeded' })))).toBe('transient');
    expect(kind(classifyTwilio(answer(400, { code: 63003, message: 'Channel could not find To address' })))).toBe('permanent');
    expect(twilioReceipt({ status: 'undelivered', error_code: 63016, error_message: null }).detail).toMatch(/63016 \(outside the 24-hour WhatsApp window/);
  });

  it('verdicts become the errors delivery acts on', () => {
    const limited = verdictError({ ok: false, kind: 'transient', detail: 'x', retryAfterMs: 5000 }, 'Telegram');
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterMs).toBe(5000);
    expect(verdictError({ ok: false, kind: 'credit', detail: 'x' }, 'SMS gateway')).toBeInstanceOf(ProviderAlarmError);
    expect(verdictError({ ok: false, kind: 'credit', detail: 'x' }, 'SMS gateway')).toBeInstanceOf(RetryableError);
    expect(verdictError({ ok: false, kind: 'permanent', detail: 'x' }, 'SMS gateway')).toBeInstanceOf(PermanentError);
    expect((verdictError({ ok: false, kind: 'auth', detail: 'x' }, 'SMS gateway') as ProviderAlarmError).alarm).toBe('auth');
  });
});
