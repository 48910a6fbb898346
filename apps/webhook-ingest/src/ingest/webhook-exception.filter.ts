import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { WEBHOOK_PATH_PREFIX } from '@isp/domain';
import { IngestMetrics } from '../metrics/ingest-metrics.service';
import { RejectReason, WebhookRejection } from './webhook-rejection';

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

/**
 * Every error as JSON that says what was wrong, with the request id to find the log line. Errors
 * from Fastify's body parsing (too large, bad JSON) arrive here as HttpExceptions too. Anything
 * unexpected is a 500 that is logged, and counted so it cannot hide.
 */
/** pino-http's id (the one in every log line) lives on the raw request. */
function requestId(req: FastifyRequest): string {
  const raw = req.raw as { id?: unknown };
  return typeof raw.id === 'string' ? raw.id : String(req.id);
}

@Catch()
export class WebhookExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(WebhookExceptionFilter.name);

  constructor(private readonly metrics: IngestMetrics) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body, headers } = this.describe(exception);
    if ((req.url ?? '').startsWith(WEBHOOK_PATH_PREFIX)) this.metrics.rejectedEvent(body.reason);
    const id = requestId(req);
    if (status >= 500 && body.reason === RejectReason.INTERNAL) this.logger.error({ requestId: id, err: exception }, 'webhook failed');
    else if (status >= 500) this.logger.warn({ requestId: id, reason: body.reason }, body.message);
    void reply
      .status(status)
      .headers(headers)
      .send({ ...body, requestId: id });
  }

  private describe(exception: unknown): { status: number; body: { statusCode: number; reason: RejectReason; message: string; field?: string }; headers: Record<string, string> } {
    if (exception instanceof WebhookRejection) {
      return { status: exception.getStatus(), body: exception.getResponse() as never, headers: exception.headers };
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      const reason = BY_STATUS[status] ?? RejectReason.MALFORMED_BODY;
      const message = MESSAGES[reason] ?? (status === 404 ? 'no such webhook' : `malformed body: ${exception.message}`);
      return { status, body: { statusCode: status, reason, message }, headers: {} };
    }
    return { status: 500, body: { statusCode: 500, reason: RejectReason.INTERNAL, message: 'internal error' }, headers: {} };
  }
}
