import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MAINTENANCE_WINDOW_MODEL } from '@isp/data';
import { Audited } from '../audit/audited.decorator';
import { API_V1 } from '../common/api-prefix';
import { ParseObjectIdPipe } from '../common/object-id.pipe';
import { CurrentUser } from '../auth/current-user.decorator';
import { RequireRole } from '../auth/roles.decorator';
import { Role, type Principal } from '../auth/roles';
import { CreateMaintenanceDto, MaintenanceQueryDto, MaintenanceViewDto, UpdateMaintenanceDto } from './maintenance.dto';
import { MaintenanceService } from './maintenance.service';

/** Maintenance windows: every role reads them; technicians (in their buildings) and up write them. */
@ApiTags('maintenance')
@Audited('maintenance', MAINTENANCE_WINDOW_MODEL)
@Controller(`${API_V1}/maintenance`)
export class MaintenanceController {
  constructor(private readonly maintenance: MaintenanceService) {}

  @Get()
  @RequireRole(Role.SUPPORT)
  @ApiOkResponse({ description: "{ items }: active and upcoming windows by default (state='active' | 'upcoming' | 'all')" })
  list(@Query() q: MaintenanceQueryDto) {
    return this.maintenance.list(q);
  }

  @Get(':id')
  @RequireRole(Role.SUPPORT)
  @ApiOkResponse({ type: MaintenanceViewDto })
  get(@Param('id', ParseObjectIdPipe) id: string) {
    return this.maintenance.get(id);
  }

  @Post()
  @RequireRole(Role.TECHNICIAN)
  @ApiCreatedResponse({ type: MaintenanceViewDto })
  create(@Body() dto: CreateMaintenanceDto, @CurrentUser() p: Principal) {
    return this.maintenance.create(dto, p);
  }

  @Patch(':id')
  @RequireRole(Role.TECHNICIAN)
  @ApiOkResponse({ type: MaintenanceViewDto })
  @ApiConflictResponse({ description: 'the window was ended' })
  update(@Param('id', ParseObjectIdPipe) id: string, @Body() dto: UpdateMaintenanceDto, @CurrentUser() p: Principal) {
    return this.maintenance.update(id, dto, p);
  }

  @Post(':id/end')
  @HttpCode(200)
  @RequireRole(Role.TECHNICIAN)
  @ApiOkResponse({ type: MaintenanceViewDto })
  @ApiConflictResponse({ description: 'already ended' })
  end(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() p: Principal) {
    return this.maintenance.end(id, p);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireRole(Role.TECHNICIAN)
  @ApiNoContentResponse({ description: 'deleted (what it held back is paged now if still down)' })
  remove(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() p: Principal) {
    return this.maintenance.remove(id, p);
  }
}
