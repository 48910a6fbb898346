import { Controller, MessageEvent, Query, Req, Sse } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { concatMap, filter, interval, map, merge, share, takeUntil, type Observable } from 'rxjs';
import { FEED_MESSAGE_TYPES, type FeedMessageType } from '@isp/domain';
import { API_V1 } from '../common/api-prefix';
import { AllowQueryToken, RequireRole } from '../auth/roles.decorator';
import { Role } from '../auth/roles';
import { bearerToken, SessionService } from '../auth/session.service';
import { ApiGatewayConfig } from '../config/api-gateway.config';
import { FeedService } from './feed.service';

export class FeedQueryDto {
  @ApiPropertyOptional({ enum: FEED_MESSAGE_TYPES, description: 'only this kind of message' }) @IsOptional() @IsIn(FEED_MESSAGE_TYPES) type?: FeedMessageType;
  @ApiPropertyOptional({ description: 'token for EventSource clients, which cannot set headers' }) @IsOptional() @IsString() @MaxLength(4096) access_token?: string;
}

@ApiTags('feed')
@Controller(`${API_V1}/feed`)
export class FeedController {
  constructor(
    private readonly feed: FeedService,
    private readonly sessions: SessionService,
    private readonly config: ApiGatewayConfig,
  ) {}

  @Sse()
  @RequireRole(Role.SUPPORT)
  @AllowQueryToken()
  @ApiOperation({ summary: 'Server-sent events: incidents and state changes as they happen' })
  @ApiOkResponse({ description: 'text/event-stream; event names are the message types', content: { 'text/event-stream': {} } })
  stream(@Query() q: FeedQueryDto, @Req() req: FastifyRequest): Observable<MessageEvent> {
    const events = this.feed.stream().pipe(
      filter((m) => !q.type || m.type === q.type),
      map((m): MessageEvent => ({ type: m.type, data: m })),
    );
    // One timer: each tick re-checks the session (the guard checked it only when the stream
    // opened, and a stream lives for hours), then sends a keep-alive so proxies do not close an
    // idle stream, or ends the stream once the user is deactivated, deleted or signed out.
    const token = bearerToken(req.headers.authorization) ?? q.access_token ?? '';
    const ticks = interval(this.config.FEED_HEARTBEAT_MS).pipe(
      concatMap(() => this.sessions.stillValid(token)),
      share(),
    );
    const keepAlive = ticks.pipe(
      filter((valid) => valid),
      map((): MessageEvent => ({ type: 'ping', data: { at: new Date().toISOString() } })),
    );
    const ended = ticks.pipe(filter((valid) => !valid));
    return merge(events, keepAlive).pipe(takeUntil(ended));
  }
}
