/**
 * Errors say whether trying again can help. Queue processors rethrow RetryableError (BullMQ
 * retries with backoff) and turn PermanentError into UnrecoverableError (recorded, not retried).
 */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A passing condition: unreachable router, timeout, Redis or Mongo hiccup. */
export class RetryableError extends DomainError {
  constructor(message: string, code = 'RETRYABLE') {
    super(message, true, code);
  }
}

/** Trying again cannot help: login refused, invalid phone number, bad data. */
export class PermanentError extends DomainError {
  constructor(message: string, code = 'PERMANENT') {
    super(message, false, code);
  }
}

/** The record a job or request was about does not exist (any more). */
export class NotFoundError extends PermanentError {
  constructor(what: string, id: string, message = `${what} ${id} not found`) {
    super(message, 'NOT_FOUND');
  }
}

/** Input that breaks a domain rule (a cycle in the device tree, a missing reference...). */
export class ValidationError extends PermanentError {
  constructor(message: string) {
    super(message, 'VALIDATION');
  }
}

/** Input that is malformed in itself (an empty or inverted period), before any rule applies. */
export class InvalidRequestError extends PermanentError {
  constructor(message: string) {
    super(message, 'INVALID_REQUEST');
  }
}

/** The action clashes with the record's current state (already resolved, still in use, taken name). */
export class ConflictError extends PermanentError {
  constructor(message: string) {
    super(message, 'CONFLICT');
  }
}

/** The caller could not be identified: wrong credentials, an invalid, expired or ended session. */
export class UnauthenticatedError extends PermanentError {
  constructor(message: string) {
    super(message, 'UNAUTHENTICATED');
  }
}

/** The caller may not act on this record (outside their assigned buildings). */
export class ForbiddenError extends PermanentError {
  constructor(message: string) {
    super(message, 'FORBIDDEN');
  }
}

/** Too many attempts: refused until the window ends (retryAfterSec from now). */
export class RateLimitedError extends RetryableError {
  constructor(
    message: string,
    readonly retryAfterSec: number,
  ) {
    super(message, 'RATE_LIMITED');
  }
}

/** Another service did not answer within its deadline. */
export class DeadlineExceededError extends RetryableError {
  constructor(message: string) {
    super(message, 'DEADLINE_EXCEEDED');
  }
}

/** Another service answered with a failure. */
export class UpstreamError extends RetryableError {
  constructor(message: string) {
    super(message, 'UPSTREAM');
  }
}

export function isRetryable(err: unknown): boolean {
  if (err instanceof DomainError) return err.retryable;
  // Unknown errors (driver, network) are assumed transient: retried a bounded number of times.
  return true;
}
