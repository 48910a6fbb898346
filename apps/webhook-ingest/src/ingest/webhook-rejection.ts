import { HttpException } from '@nestjs/common';

/** Why a webhook was refused: the `reason` label of the rejection metric and of the JSON error. */
export const RejectReason = {
  MISSING_TOKEN: 'missing_token',
  INVALID_TOKEN: 'invalid_token',
  SOURCE_NOT_ALLOWED: 'source_not_allowed',
  RATE_LIMITED: 'rate_limited',
  VALIDATION: 'validation',
  MALFORMED_BODY: 'malformed_body',
  BODY_TOO_LARGE: 'body_too_large',
  UNSUPPORTED_MEDIA_TYPE: 'unsupported_media_type',
  NOT_FOUND: 'not_found',
  QUEUE_UNAVAILABLE: 'queue_unavailable',
  NOT_READY: 'not_ready',
  INTERNAL: 'internal',
} as const;
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

/** A refused webhook: a JSON error that says what was wrong (and which field), never a job. */
export class WebhookRejection extends HttpException {
  constructor(
    status: number,
    readonly reason: RejectReason,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super({ statusCode: status, reason, message, ...(field && { field }) }, status);
  }
}

export interface FailureResponse {
  status: number;
  body: { statusCode: number; reason: RejectReason; message: string; field?: string };
  headers: Record<string, string>;
}

const BY_STATUS: Record<number, RejectReason> = {
  400: RejectReason.MALFORMED_BODY,
  404: RejectReason.NOT_FOUND,
  405: RejectReason.NOT_FOUND,
  413: RejectReason.BODY_TOO_LARGE,
  415: RejectReason.UNSUPPORTED_MEDIA_TYPE,
};

const MESSAGES: Partial<Record<RejectReason, string>> = {
  [RejectReason.BODY_TOO_LARGE]: 'body is larger than the webhook limit',
  [RejectReason.UNSUPPORTED_MEDIA_TYPE]: 'body must be application/json or application/x-www-form-urlencoded',
};

/** A client error from the HTTP layer: a Nest HttpException, or a Fastify error (body parsing: too large, bad JSON). */
function clientErrorStatus(exception: unknown): number | null {
  if (exception instanceof HttpException) return exception.getStatus() < 500 ? exception.getStatus() : null;
  const status = (exception as { statusCode?: unknown } | null)?.statusCode;
  return exception instanceof Error && typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

/**
 * Any failure as the JSON error a router gets: rejections as they are, client errors of the HTTP
 * layer with a reason, anything unexpected as a 500 (which the caller logs).
 */
export function describeFailure(exception: unknown): FailureResponse {
  if (exception instanceof WebhookRejection) {
    return { status: exception.getStatus(), body: exception.getResponse() as FailureResponse['body'], headers: exception.headers };
  }
  const status = clientErrorStatus(exception);
  if (status !== null) {
    const reason = BY_STATUS[status] ?? RejectReason.MALFORMED_BODY;
    const message = MESSAGES[reason] ?? (status === 404 ? 'no such webhook' : `malformed body: ${(exception as Error).message}`);
    return { status, body: { statusCode: status, reason, message }, headers: {} };
  }
  return { status: 500, body: { statusCode: 500, reason: RejectReason.INTERNAL, message: 'internal error' }, headers: {} };
}
