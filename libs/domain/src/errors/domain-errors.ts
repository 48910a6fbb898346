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
  constructor(what: string, id: string) {
    super(`${what} ${id} not found`, 'NOT_FOUND');
  }
}

/** Input that breaks a domain rule (a cycle in the device tree, a duplicate name...). */
export class ValidationError extends PermanentError {
  constructor(message: string) {
    super(message, 'VALIDATION');
  }
}

export function isRetryable(err: unknown): boolean {
  if (err instanceof DomainError) return err.retryable;
  // Unknown errors (driver, network) are assumed transient: retried a bounded number of times.
  return true;
}
