import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Audited } from '../audit/audited.decorator';
import { INCIDENT_MODEL } from '@isp/data';
import { ApiConflictResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { API_V1 } from '../common/api-prefix';
import { ParseObjectIdPipe } from '../common/object-id.pipe';
import { ApiPageResponse, pageOf } from '../common/pagination.dto';
import { CurrentUser } from '../auth/current-user.decorator';
import { RequireRole } from '../auth/roles.decorator';
import { Role, type Principal } from '../auth/roles';
import { ApiErrors } from '../common/api-errors';
import { AcknowledgeIncidentDto, AssignIncidentDto, IncidentQueryDto, IncidentViewDto, TimelineEntryDto } from './incident.dto';
import { IncidentTimelineService } from './incident-timeline.service';
import { IncidentsService } from './incidents.service';

@ApiTags('incidents')
@Audited('incident', INCIDENT_MODEL)
@Controller(`${API_V1}/incidents`)
export class IncidentsController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly timelines: IncidentTimelineService,
  ) {}

  @Get()
  @RequireRole(Role.SUPPORT)
  @ApiPageResponse(IncidentViewDto)
  list(@Query() q: IncidentQueryDto) {
    return this.incidents.list({ ...q, ...pageOf(q) });
  }

  @Get(':id')
  @RequireRole(Role.SUPPORT)
  @ApiOkResponse({ type: IncidentViewDto })
  get(@Param('id', ParseObjectIdPipe) id: string) {
    return this.incidents.get(id);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @RequireRole(Role.TECHNICIAN)
  @ApiOkResponse({ type: IncidentViewDto })
  @ApiConflictResponse({ description: 'not open' })
  acknowledge(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() p: Principal, @Body() dto: AcknowledgeIncidentDto) {
    return this.incidents.acknowledge(id, p, dto?.note);
  }

  @Post(':id/unacknowledge')
  @HttpCode(200)
  @RequireRole(Role.TECHNICIAN)
  @ApiOkResponse({ type: IncidentViewDto, description: 'open again; escalation restarts from now' })
  @ApiConflictResponse({ description: 'not acknowledged' })
  unacknowledge(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() p: Principal) {
    return this.incidents.unacknowledge(id, p);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @RequireRole(Role.TECHNICIAN)
  @ApiOkResponse({ type: IncidentViewDto })
  @ApiConflictResponse({ description: 'already resolved' })
  @ApiErrors(422)
  assign(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() p: Principal, @Body() dto: AssignIncidentDto) {
    return this.incidents.assign(id, p, dto.assignee);
  }

  @Get(':id/timeline')
  @RequireRole(Role.SUPPORT)
  @ApiOkResponse({ type: TimelineEntryDto, isArray: true, description: 'oldest first' })
  timeline(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() p: Principal) {
    return this.timelines.timeline(id, p);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @RequireRole(Role.NETADMIN)
  @ApiOkResponse({ type: IncidentViewDto })
  @ApiConflictResponse({ description: 'already resolved' })
  resolve(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() p: Principal) {
    return this.incidents.resolve(id, p);
  }
}
