import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { UserDowntimeLogRepository, type UserDowntimeLog } from '@isp/data';
import { IsISO8601, IsMongoId, IsOptional } from 'class-validator';
import { API_V1 } from '../common/api-prefix';
import { PageQueryDto, pageOf } from '../common/pagination.dto';
import { RequireRole } from '../auth/roles.decorator';
import { Role } from '../auth/roles';

export class DowntimeQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'subscriber id' }) @IsOptional() @IsMongoId() user?: string;
  @ApiPropertyOptional() @IsOptional() @IsMongoId() building?: string;
  @ApiPropertyOptional() @IsOptional() @IsMongoId() incident?: string;
  @ApiPropertyOptional({ description: 'started at or after' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ description: 'started before' }) @IsOptional() @IsISO8601() to?: string;
}

function view(l: UserDowntimeLog) {
  return {
    id: String(l._id),
    user: String(l.user),
    router: String(l.router),
    station: l.station ? String(l.station) : null,
    building: l.building ? String(l.building) : null,
    startedAt: l.startedAt,
    endedAt: l.endedAt ?? null,
    durationSec: l.durationSec ?? null,
    cause: l.cause,
    incident: l.incident ? String(l.incident) : null,
    open: !l.endedAt,
  };
}

@ApiTags('downtime')
@Controller(`${API_V1}/downtime-logs`)
export class DowntimeController {
  constructor(private readonly downtime: UserDowntimeLogRepository) {}

  @Get()
  @RequireRole(Role.SUPPORT)
  @ApiOkResponse({ description: 'downtime logs, newest first' })
  async list(@Query() q: DowntimeQueryDto) {
    const { limit, skip } = pageOf(q);
    const from = q.from ? new Date(q.from) : undefined;
    const to = q.to ? new Date(q.to) : undefined;
    if (from && to && to <= from) throw new BadRequestException('`to` must be after `from`');
    const items = await this.downtime.find({ user: q.user, building: q.building, incident: q.incident, from, to }, limit, skip);
    return { items: items.map(view), limit, skip };
  }
}
