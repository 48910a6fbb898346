import { Controller, MessageEvent, Param, Query, Sse, UseGuards } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { API_V1 } from '../common/api-prefix';
import { AllowFeedTicket, RequireRole } from '../auth/roles.decorator';
import { Role } from '../auth/roles';
import { LiveCheckRequestDto } from './live-check.dto';
import { LiveCheckStreamQueryDto } from './live-check-stream.dto';
import { LiveCheckStreamService } from './live-check-stream.service';
import { LiveCheckTargetGuard } from './live-check-target.guard';


@ApiTags('live-check')
@Controller(`${API_V1}/live-check`)
export class LiveCheckStreamController {
  constructor(private readonly liveCheck: LiveCheckStreamService) {}

  @Sse(':kind/:id/stream')
  @RequireRole(Role.SUPPORT)
  @AllowFeedTicket()
  @UseGuards(LiveCheckTargetGuard)
  @ApiOperation({
    summary: 'Live Check hop by hop as each answers (server-sent events; bearer header, or ?ticket= from POST /api/v1/feed/ticket)',
    description:
      'Events: `started` {checkId, target}; `hop` {index, total, hop} as each probe answers, in any order (index is the place root to leaf); ' +
      'then `result` (the same body as POST /api/v1/live-check, where hops below a DOWN one are IMPACTED) or `failed` {status, message} (504 when diagnostics does not answer in time). The stream ends after either.',
  })
  @ApiOkResponse({ description: 'text/event-stream', content: { 'text/event-stream': {} } })
  @ApiNotFoundResponse({ description: 'no such router, device or subscriber' })
  stream(@Param() target: LiveCheckRequestDto, @Query() _q: LiveCheckStreamQueryDto): Promise<Observable<MessageEvent>> {
    return this.liveCheck.stream({ kind: target.kind, id: target.id });
  }
}
