import { DomainError } from '@isp/domain';
import { routerErrorKind } from '@isp/routeros';

export type FailureClass = 'login' | 'retryable' | 'permanent';

/**
 * How a failed router call should be handled: a refused login is the router's problem (recorded
 * on the router, no retries until credentials change), a `!trap` is about the request (recorded
 * on the subscriber), anything else is the router being away (retry with backoff).
 */
export function classifyFailure(err: unknown): FailureClass {
  if (routerErrorKind(err) === 'login') return 'login';
  if (err instanceof DomainError) return err.retryable ? 'retryable' : 'permanent';
  return 'retryable';
}

export const LOGIN_ERROR_PREFIX = 'ROUTER_LOGIN';

export function errorMessage(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 500);
}
