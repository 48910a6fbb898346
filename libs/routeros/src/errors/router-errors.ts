import { PermanentError, RetryableError } from '@isp/domain/errors/domain-errors';

/**
 * What can go wrong talking to a router, as types the queue processors already understand:
 * RetryableError means "try again later" (BullMQ backoff), PermanentError means "it will not
 * get better by retrying". Messages never carry credentials.
 */
export type RouterErrorKind = 'unreachable' | 'timeout' | 'login' | 'trap' | 'fatal' | 'circuit_open' | 'busy';

export class RouterUnreachableError extends RetryableError {
  readonly kind = 'unreachable' as const;
  constructor(
    readonly routerId: string,
    detail: string,
  ) {
    super(`router ${routerId} unreachable: ${detail}`, 'ROUTER_UNREACHABLE');
  }
}

export class RouterTimeoutError extends RetryableError {
  readonly kind = 'timeout' as const;
  constructor(
    readonly routerId: string,
    readonly timeoutMs: number,
    command: string,
  ) {
    super(`router ${routerId}: ${command} got no answer within ${timeoutMs} ms`, 'ROUTER_TIMEOUT');
  }
}

export class RouterLoginError extends PermanentError {
  readonly kind = 'login' as const;
  constructor(readonly routerId: string) {
    super(`router ${routerId} refused the API login (check user and password)`, 'ROUTER_LOGIN');
  }
}

/**
 * `!trap` categories (docs/routeros.md §6): 0 missing item/command, 1 argument value, 2 execution
 * interrupted, 3 scripting, 4 general, 5 API, 6 TTY, 7 :return. Only "interrupted" is worth
 * retrying (a cancelled or cut-short command); the rest are answers about the request itself.
 */
export const TRAP_CATEGORY_INTERRUPTED = 2;

export interface RouterTrapInfo {
  readonly routerId: string;
  readonly trapMessage: string;
  readonly category: number | undefined;
  readonly command: string;
}

export class RouterTrapError extends PermanentError implements RouterTrapInfo {
  readonly kind = 'trap' as const;
  constructor(
    readonly routerId: string,
    readonly trapMessage: string,
    readonly category: number | undefined,
    readonly command: string,
  ) {
    super(`router ${routerId}: ${command} failed: ${trapMessage}${category === undefined ? '' : ` (category ${category})`}`, 'ROUTER_TRAP');
  }
}

/** The same `!trap`, for the one category that can succeed on a second attempt. */
export class RouterInterruptedTrapError extends RetryableError implements RouterTrapInfo {
  readonly kind = 'trap' as const;
  constructor(
    readonly routerId: string,
    readonly trapMessage: string,
    readonly category: number | undefined,
    readonly command: string,
  ) {
    super(`router ${routerId}: ${command} interrupted: ${trapMessage}`, 'ROUTER_TRAP_INTERRUPTED');
  }
}

export function trapError(routerId: string, message: string, category: number | undefined, command: string): RouterTrapError | RouterInterruptedTrapError {
  return category === TRAP_CATEGORY_INTERRUPTED
    ? new RouterInterruptedTrapError(routerId, message, category, command)
    : new RouterTrapError(routerId, message, category, command);
}

export function isRouterTrap(err: unknown): err is RouterTrapInfo & Error {
  return err instanceof RouterTrapError || err instanceof RouterInterruptedTrapError;
}

/** `!fatal`: the router closed the session. The pool reconnects, so the call may be retried. */
export class RouterFatalError extends RetryableError {
  readonly kind = 'fatal' as const;
  constructor(
    readonly routerId: string,
    readonly fatalMessage: string,
  ) {
    super(`router ${routerId} closed the API session: ${fatalMessage}`, 'ROUTER_FATAL');
  }
}

/** Failing fast: the router failed repeatedly and its cool-down has not passed. */
export class CircuitOpenError extends RetryableError {
  readonly kind = 'circuit_open' as const;
  constructor(
    readonly routerId: string,
    readonly retryAfterMs: number,
  ) {
    super(`router ${routerId} is marked unreachable (circuit open, next probe in ${Math.max(0, Math.round(retryAfterMs))} ms)`, 'ROUTER_CIRCUIT_OPEN');
  }
}

/** The per-router wait queue is full: too much work for one router right now. */
export class RouterBusyError extends RetryableError {
  readonly kind = 'busy' as const;
  constructor(
    readonly routerId: string,
    queued: number,
  ) {
    super(`router ${routerId} is busy (${queued} calls already waiting)`, 'ROUTER_BUSY');
  }
}

export type RouterError =
  | RouterUnreachableError
  | RouterTimeoutError
  | RouterLoginError
  | RouterTrapError
  | RouterInterruptedTrapError
  | RouterFatalError
  | CircuitOpenError
  | RouterBusyError;

export function routerErrorKind(err: unknown): RouterErrorKind | 'other' {
  const kind = (err as { kind?: unknown } | null)?.kind;
  return typeof kind === 'string' && ['unreachable', 'timeout', 'login', 'trap', 'fatal', 'circuit_open', 'busy'].includes(kind)
    ? (kind as RouterErrorKind)
    : 'other';
}
