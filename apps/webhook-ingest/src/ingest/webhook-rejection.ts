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
