import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { API_V1 } from '../common/api-prefix';
import { ParseObjectIdPipe } from '../common/object-id.pipe';
import { ApiPageResponse, pageOf } from '../common/pagination.dto';
import { RequireRole } from '../auth/roles.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { Role, type Principal } from '../auth/roles';
import { CreateRouterDto, RouterQueryDto, RouterViewDto, UpdateRouterDto, WebhookTokenDto } from './router.dto';
import { RoutersService, routerView } from './routers.service';
import { ApiErrors } from '../common/api-errors';

@ApiTags('routers')
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
}
