import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { WEBHOOK_PATH_PREFIX } from '@isp/domain';
import { IngestMetrics } from '../metrics/ingest-metrics.service';
import { describeFailure, RejectReason } from './webhook-rejection';

/** pino-http's id (the one in every log line) lives on the raw request. */
function requestId(req: FastifyRequest): string {
  const raw = req.raw as { id?: unknown };
  return typeof raw.id === 'string' ? raw.id : String(req.id);
}

/**
 * Errors of the Nest side of the app (an unknown webhook kind, /metrics, /health) as JSON that
 * says what was wrong, with the request id to find the log line; the webhook routes themselves
 * answer theirs in the webhook edge, the same way. Anything unexpected is a 500 that is logged.
 */
@Catch()
export class WebhookExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(WebhookExceptionFilter.name);

  constructor(private readonly metrics: IngestMetrics) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body, headers } = describeFailure(exception);
    if ((req.url ?? '').startsWith(WEBHOOK_PATH_PREFIX)) this.metrics.rejectedEvent(body.reason);
    const id = requestId(req);
    if (status >= 500 && body.reason === RejectReason.INTERNAL) this.logger.error({ requestId: id, err: exception }, 'webhook failed');
    else if (status >= 500) this.logger.warn({ requestId: id, reason: body.reason }, body.message);
    void reply
      .status(status)
      .headers(headers)
      .send({ ...body, requestId: id });
  }
}
