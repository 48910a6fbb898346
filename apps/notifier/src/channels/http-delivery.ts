import { PermanentError, RetryableError } from '@isp/domain';
import { UncertainSendError, verdictError, type ProviderVerdict } from './delivery-errors';
import { classifyGenericSms, type HttpAnswer } from './provider-answers';

export type HttpResponse = HttpAnswer;
export { isTransientStatus } from './provider-answers';

/**
 * Errors that prove the request never reached the provider: safe to send again. Anything else
 * (our timeout, a connection cut mid-exchange) may have been accepted, so it is uncertain.
 */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * POSTs and classifies the outcome with the provider's own rules (`classify`). `label` names the
 * endpoint in errors instead of its URL: chat webhook URLs and some gateway URLs carry secrets.
 */
export async function postForDelivery(
  url: string,
  init: { headers: Record<string, string>; body: string; timeoutMs: number; label: string; classify?: (a: HttpAnswer) => ProviderVerdict },
): Promise<HttpResponse> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { method: 'POST', headers: init.headers, body: init.body, signal: AbortSignal.timeout(init.timeoutMs) });
    text = await res.text();
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const code = e.cause?.code ?? (e as { code?: string }).code;
    if (code === 'ERR_INVALID_URL') throw new PermanentError(`${init.label}: not a valid URL`, 'NO_ADDRESS');
    if (code && NOT_SENT.has(code)) throw new RetryableError(`${init.label}: ${code}`, 'DELIVERY_UNREACHABLE');
    const why = e.name === 'TimeoutError' ? `no answer within ${init.timeoutMs} ms` : (code ?? e.message);
    throw new UncertainSendError(`${init.label}: ${why}; the provider may have the message`);
  }
  const answer = { status: res.status, text, json: parseJson(text) };
  const verdict = (init.classify ?? classifyGenericSms)(answer);
  if (verdict.ok) return answer;
  throw verdictError(verdict, init.label);
}

/**
 * A read-only request to a provider (a receipt, a balance). Asking again is harmless, so any
 * failure to get an answer is retryable; the caller reads the status itself.
 */
export async function getAnswer(url: string, init: { headers: Record<string, string>; timeoutMs: number; label: string }): Promise<HttpAnswer> {
  try {
    const res = await fetch(url, { method: 'GET', headers: init.headers, signal: AbortSignal.timeout(init.timeoutMs) });
    const text = await res.text();
    return { status: res.status, text, json: parseJson(text) };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    if (e.cause?.code === 'ERR_INVALID_URL' || (e as { code?: string }).code === 'ERR_INVALID_URL') throw new PermanentError(`${init.label}: not a valid URL`, 'NO_ADDRESS');
    throw new RetryableError(`${init.label}: ${e.name === 'TimeoutError' ? `no answer within ${init.timeoutMs} ms` : (e.cause?.code ?? e.message)}`, 'PROVIDER_UNREACHABLE');
  }
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
