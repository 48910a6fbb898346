import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import {
  ConflictError,
  DeadlineExceededError,
  DomainError,
  ForbiddenError,
  InvalidRequestError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  UpstreamError,
  ValidationError as DomainValidationError,
} from '@isp/domain';
import type { FastifyReply } from 'fastify';

/** The one error shape of the API. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function body(statusCode: number, message: string): ErrorBody {
  return { statusCode, error: REASONS[statusCode] ?? (statusCode < 500 ? 'Bad Request' : 'Internal Server Error'), message };
}

function text(message: unknown): string {
  if (Array.isArray(message)) return message.map(String).join('; ');
  if (typeof message === 'string') return message;
  return 'Request failed';
}

/**
 * The one place domain errors become HTTP statuses: services throw domain errors and never
 * know about HTTP; controllers, guards and pipes (the HTTP layer) may throw Nest's exceptions.
 */
const DOMAIN_STATUS: [new (...args: never[]) => DomainError, number][] = [
  [InvalidRequestError, 400],
  [UnauthenticatedError, 401],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [DomainValidationError, 422],
  [RateLimitedError, 429],
  [UpstreamError, 502],
  [DeadlineExceededError, 504],
];

function domainStatus(err: DomainError): number | undefined {
  for (const [type, status] of DOMAIN_STATUS) if (err instanceof type) return status;
  // Any other permanent domain error is a rule the input broke.
  return err.retryable ? undefined : 422;
}

/** Headers an error answer carries besides its body (Retry-After on a 429). */
export function errorHeaders(err: unknown): Record<string, string> {
  return err instanceof RateLimitedError ? { 'retry-after': String(Math.max(1, Math.ceil(err.retryAfterSec))) } : {};
}

/**
 * Maps anything thrown while serving a request to {statusCode, error, message}. Driver and
 * Mongoose errors caused by input (a bad id, a schema rule, a duplicate key) become 4xx so no
 * input yields a 500; anything else is a 500 whose details stay in the log.
 */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof HttpException) {
    const res = err.getResponse();
    const msg = typeof res === 'string' ? res : text((res as { message?: unknown }).message ?? err.message);
    return body(err.getStatus(), msg);
  }
  if (err instanceof DomainError) {
    const status = domainStatus(err);
    if (status !== undefined) return body(status, err.message);
  }
  const e = err as { name?: string; code?: number | string; statusCode?: number; message?: string; keyValue?: Record<string, unknown>; path?: string; errors?: Record<string, { message?: string }> };
  if (e?.code === 11000) {
    const keys = Object.keys(e.keyValue ?? {});
    return body(409, keys.length ? `A record with this ${keys.join(', ')} already exists` : 'A record with these values already exists');
  }
  if (e?.name === 'CastError') return body(400, `Invalid value for ${e.path ?? 'a field'}`);
  if (e?.name === 'BSONError') return body(400, 'Invalid identifier');
  if (e?.name === 'ValidationError' && e.errors) return body(422, Object.values(e.errors).map((x) => x.message ?? 'invalid').join('; '));
  if (e?.name === 'StrictModeError') return body(400, e.message ?? 'Unknown field');
  // Fastify's own errors (malformed JSON, wrong content type, body too large) carry a 4xx.
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return body(e.statusCode, e.message ?? 'Bad request');
  return body(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const out = toErrorBody(exception);
    if (out.statusCode >= 500) this.logger.error({ err: exception }, 'unhandled error');
    if (reply.sent) return;
    void reply.status(out.statusCode).headers({ ...errorHeaders(exception), 'content-type': 'application/json; charset=utf-8' }).send(out);
  }
}
