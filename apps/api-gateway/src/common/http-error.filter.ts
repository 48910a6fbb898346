import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DomainError, NotFoundError, ValidationError as DomainValidationError } from '@isp/domain';
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
  if (err instanceof NotFoundError) return body(404, err.message);
  if (err instanceof DomainValidationError) return body(422, err.message);
  if (err instanceof DomainError && !err.retryable) return body(422, err.message);
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
    void reply.status(out.statusCode).header('content-type', 'application/json; charset=utf-8').send(out);
  }
}
