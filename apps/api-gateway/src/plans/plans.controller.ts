import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { Audited } from '../audit/audited.decorator';
import { PLAN_MODEL } from '@isp/data';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_V1 } from '../common/api-prefix';
import { ApiErrors } from '../common/api-errors';
import { ParseObjectIdPipe } from '../common/object-id.pipe';
import { RequireRole } from '../auth/roles.decorator';
import { Role } from '../auth/roles';
import { CreatePlanDto, PlanListDto, PlanViewDto, UpdatePlanDto } from './plan.dto';
import { PlansService, planView } from './plans.service';

/** Bandwidth plans: netadmins write them, everyone reads them. */
@ApiTags('plans')
@Audited('plan', PLAN_MODEL)
@Controller(`${API_V1}/plans`)
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Get()
  @RequireRole(Role.SUPPORT)
  @ApiOkResponse({ type: PlanListDto })
  async list(): Promise<PlanListDto> {
    return { items: await this.plans.list() };
  }

  @Get(':id')
  @RequireRole(Role.SUPPORT)
  @ApiOkResponse({ type: PlanViewDto })
  async get(@Param('id', ParseObjectIdPipe) id: string) {
    return planView(await this.plans.get(id));
  }

  @Post()
  @RequireRole(Role.NETADMIN)
  @ApiCreatedResponse({ type: PlanViewDto })
  @ApiErrors(409, 422)
  create(@Body() dto: CreatePlanDto) {
    return this.plans.create(dto);
  }

  @Patch(':id')
  @RequireRole(Role.NETADMIN)
  @ApiOperation({ summary: "Change a plan now or at effectiveAt; provisioning re-syncs the plan's subscribers (profiles and queues)" })
  @ApiOkResponse({ type: PlanViewDto })
  @ApiErrors(409, 422)
  update(@Param('id', ParseObjectIdPipe) id: string, @Body() dto: UpdatePlanDto) {
    return this.plans.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireRole(Role.NETADMIN)
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiErrors(409)
  async remove(@Param('id', ParseObjectIdPipe) id: string) {
    await this.plans.remove(id);
  }
}
