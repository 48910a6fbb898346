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
  let json: Record<string, unknown> | null;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    json = null;
  }
  const answer = { status: res.status, text, json };
  const verdict = (init.classify ?? classifyGenericSms)(answer);
  if (verdict.ok) return answer;
  throw verdictError(verdict, init.label);
}
