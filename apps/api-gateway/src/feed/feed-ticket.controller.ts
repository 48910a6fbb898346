import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { API_V1 } from '../common/api-prefix';
import { NotAudited } from '../audit/audited.decorator';
import type { AuthRequest } from '../auth/auth.guard';
import { FeedTicketService } from '../auth/feed-ticket.service';
import { RequireRole } from '../auth/roles.decorator';
import { Role } from '../auth/roles';

export class FeedTicketDto {
  @ApiProperty({ description: 'pass as GET /api/v1/feed?ticket=...; works once' }) ticket!: string;
  @ApiProperty({ description: 'seconds left to open the feed with it' }) expiresIn!: number;
}

// A feed ticket opens a read-only stream: nothing changes, so no audit entry.
@NotAudited()
@ApiTags('feed')
@Controller(`${API_V1}/feed`)
export class FeedTicketController {
  constructor(private readonly tickets: FeedTicketService) {}

  @Post('ticket')
  @HttpCode(200)
  @RequireRole(Role.SUPPORT)
  @ApiOperation({ summary: 'A single-use, 30-second ticket to open the feed from a browser EventSource (which cannot send the bearer header)' })
  @ApiOkResponse({ type: FeedTicketDto })
  issue(@Req() req: AuthRequest): Promise<FeedTicketDto> {
    return this.tickets.issue(req.claims!);
  }
}
