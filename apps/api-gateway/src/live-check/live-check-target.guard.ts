import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { NotFoundError, type LiveCheckTarget } from '@isp/domain';
import { LiveCheckRequestDto } from './live-check.dto';
import { LiveCheckStreamQueryDto } from './live-check-stream.dto';
import { LiveCheckStreamService } from './live-check-stream.service';

/** The global ValidationPipe's rules (libs/platform bootstrap). */
const RULES = { whitelist: true, forbidNonWhitelisted: true } as const;

/**
 * A stream's unknown target is a plain 404, answered before the stream opens. The check cannot
 * live in the handler: once any interceptor is global (the audit trail's), Nest opens an SSE
 * response before the handler's promise settles, and its rejection becomes an event in a 200
 * stream. Guards run before interceptors, and before the validation pipe: a malformed request
 * passes here untouched and gets its 400 from validation.
 */
@Injectable()
export class LiveCheckTargetGuard implements CanActivate {
  constructor(private readonly liveCheck: LiveCheckStreamService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<{ params?: Record<string, string>; query?: Record<string, unknown> }>();
    const target = plainToInstance(LiveCheckRequestDto, req.params ?? {});
    const query = plainToInstance(LiveCheckStreamQueryDto, req.query ?? {});
    if ((await validate(target, RULES)).length || (await validate(query, RULES)).length) return true;
    const t: LiveCheckTarget = { kind: target.kind, id: target.id };
    if (!(await this.liveCheck.exists(t))) throw new NotFoundError(t.kind, t.id);
    return true;
  }
}
