import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { Audited } from '../audit/audited.decorator';
import { MIKROTIK_ROUTER_MODEL } from '@isp/data';
import { ApiAcceptedResponse, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_V1 } from '../common/api-prefix';
import { ParseObjectIdPipe } from '../common/object-id.pipe';
import { ApiPageResponse, pageOf } from '../common/pagination.dto';
import { RequireRole } from '../auth/roles.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { Role, type Principal } from '../auth/roles';
import { CreateRouterDto, RouterQueryDto, RouterViewDto, UpdateRouterDto, WebhookTokenDto } from './router.dto';
import { AdoptionApprovedDto, RouterDriftDto } from './router-drift.dto';
import { RoutersService, routerView } from './routers.service';
import { ApiErrors } from '../common/api-errors';

@ApiTags('routers')
@Audited('router', MIKROTIK_ROUTER_MODEL)
@Controller(`${API_V1}/routers`)
export class RoutersController {
  constructor(private readonly routers: RoutersService) {}

  @Get()
  @RequireRole(Role.SUPPORT)
  @ApiPageResponse(RouterViewDto)
  list(@Query() q: RouterQueryDto) {
    return this.routers.list({ building: q.building, role: q.role, ...pageOf(q) });
  }

  @Get(':id')
  @RequireRole(Role.SUPPORT)
  @ApiOkResponse({ type: RouterViewDto })
  async get(@Param('id', ParseObjectIdPipe) id: string) {
    return routerView(await this.routers.get(id));
  }

  @Post()
  @RequireRole(Role.NETADMIN)
  @ApiCreatedResponse({ type: RouterViewDto })
  @ApiConflictResponse({ description: 'name already used' })
  @ApiErrors(422)
  create(@Body() dto: CreateRouterDto, @CurrentUser() p: Principal) {
    return this.routers.create(dto, p);
  }

  @Patch(':id')
  @RequireRole(Role.NETADMIN)
  @ApiOkResponse({ type: RouterViewDto })
  @ApiErrors(409, 422)
  update(@Param('id', ParseObjectIdPipe) id: string, @Body() dto: UpdateRouterDto, @CurrentUser() p: Principal) {
    return this.routers.update(id, dto, p);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'deleted' })
  @RequireRole(Role.NETADMIN)
  @ApiErrors(409)
  async remove(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() p: Principal) {
    await this.routers.remove(id, p);
  }

  /** Issues or rotates the webhook token; the response is the only time it is shown. */
  @Post(':id/webhook-token')
  @RequireRole(Role.ADMIN)
  @ApiCreatedResponse({ type: WebhookTokenDto })
  issueToken(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() p: Principal) {
    return this.routers.issueToken(id, p);
  }

  /** What the latest router pass found different and did about it (the cutover's adoption report first). */
  @Get(':id/drift')
  @RequireRole(Role.NETADMIN)
  @ApiOperation({ summary: "the latest router pass's drift report: per field, router value, database value, action" })
  @ApiOkResponse({ type: RouterDriftDto })
  drift(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() p: Principal) {
    return this.routers.drift(id, p);
  }

  /** Approves the adoption of a router found with the old system's state: its next pass adopts (never kicks). */
  @Post(':id/adopt')
  @HttpCode(202)
  @RequireRole(Role.NETADMIN)
  @ApiOperation({ summary: 'approve the adoption reported at GET .../drift; the next pass takes what the database lacks from the router and tags the rows' })
  @ApiAcceptedResponse({ type: AdoptionApprovedDto })
  @ApiErrors(409)
  adopt(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() p: Principal) {
    return this.routers.approveAdoption(id, p);
  }
}
