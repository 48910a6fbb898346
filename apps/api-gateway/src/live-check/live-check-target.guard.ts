import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { NotFoundError, type LiveCheckTarget } from '@isp/domain';
import { LiveCheckStreamService } from './live-check-stream.service';

const KINDS = new Set(['subscriber', 'device', 'router']);
const OBJECT_ID = /^[0-9a-f]{24}$/i;

/**
 * A stream's unknown target is a plain 404, answered before the stream opens. The check cannot
 * live in the handler: once any interceptor is global (the audit trail's), Nest opens an SSE
 * response before the handler's promise settles, and its rejection becomes an event in a 200
 * stream. Guards run before interceptors. Malformed parameters pass here and get their 400 from
 * validation.
 */
@Injectable()
export class LiveCheckTargetGuard implements CanActivate {
  constructor(private readonly liveCheck: LiveCheckStreamService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const { kind, id } = ctx.switchToHttp().getRequest<{ params?: Record<string, string> }>().params ?? {};
    if (!KINDS.has(kind) || !OBJECT_ID.test(id ?? '')) return true;
    const target = { kind, id } as LiveCheckTarget;
    if (!(await this.liveCheck.exists(target))) throw new NotFoundError(target.kind, target.id);
    return true;
  }
}
