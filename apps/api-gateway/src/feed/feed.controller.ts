import { Controller, MessageEvent, Query, Req, Sse } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { concatMap, filter, interval, map, merge, share, takeUntil, type Observable } from 'rxjs';
import { FEED_MESSAGE_TYPES, type FeedMessageType } from '@isp/domain';
import { API_V1 } from '../common/api-prefix';
import type { AuthRequest } from '../auth/auth.guard';
import { AllowFeedTicket, RequireRole } from '../auth/roles.decorator';
import { Role } from '../auth/roles';
import { SessionService } from '../auth/session.service';
import { ApiGatewayConfig } from '../config/api-gateway.config';
import { FeedService } from './feed.service';

export class FeedQueryDto {
  @ApiPropertyOptional({ enum: FEED_MESSAGE_TYPES, description: 'only this kind of message' }) @IsOptional() @IsIn(FEED_MESSAGE_TYPES) type?: FeedMessageType;
  @ApiPropertyOptional({ description: 'single-use ticket from POST /api/v1/feed/ticket, for EventSource clients, which cannot set headers' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  ticket?: string;
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
  @AllowFeedTicket()
  @ApiOperation({ summary: 'Server-sent events: incidents and state changes as they happen (bearer header, or ?ticket= from POST /api/v1/feed/ticket)' })
  @ApiOkResponse({ description: 'text/event-stream; event names are the message types', content: { 'text/event-stream': {} } })
  stream(@Query() q: FeedQueryDto, @Req() req: AuthRequest): Observable<MessageEvent> {
    const events = this.feed.stream().pipe(
      filter((m) => !q.type || m.type === q.type),
      map((m): MessageEvent => ({ type: m.type, data: m })),
    );
    // One timer: each tick re-checks the session (the guard checked it only when the stream
    // opened, and a stream lives for hours), then sends a keep-alive so proxies do not close an
    // idle stream, or ends the stream once the user is deactivated, deleted or signed out.
    // The claims the guard verified (from the bearer token or the redeemed ticket).
    const claims = req.claims!;
    const ticks = interval(this.config.FEED_HEARTBEAT_MS).pipe(
      concatMap(() => this.sessions.stillValid(claims)),
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
