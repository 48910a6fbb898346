import { PermanentError, RetryableError } from '@isp/domain';

export interface HttpResponse {
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

/**
 * POSTs and classifies the outcome. `label` names the endpoint in errors instead of its URL:
 * chat webhook URLs and some gateway URLs carry secrets.
 */
export async function postForDelivery(
  url: string,
  init: { headers: Record<string, string>; body: string; timeoutMs: number; label: string },
): Promise<HttpResponse> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: init.headers, body: init.body, signal: AbortSignal.timeout(init.timeoutMs) });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const why = e.name === 'TimeoutError' ? `timed out after ${init.timeoutMs} ms` : (e.cause?.code ?? e.message);
    throw new RetryableError(`${init.label}: ${why}`, 'DELIVERY_UNREACHABLE');
  }
  const text = await res.text().catch(() => '');
  let json: Record<string, unknown> | null;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    json = null;
  }
  if (res.ok) return { status: res.status, text, json };
  const detail = `${init.label} answered ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
  if (isTransientStatus(res.status)) throw new RetryableError(detail, 'DELIVERY_TRANSIENT');
  throw new PermanentError(detail, 'DELIVERY_REJECTED');
}
