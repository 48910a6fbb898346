import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { API_V1 } from '../common/api-prefix';
import { ParseObjectIdPipe } from '../common/object-id.pipe';
import { ApiPageResponse, pageOf } from '../common/pagination.dto';
import { RequireRole } from '../auth/roles.decorator';
import { Role } from '../auth/roles';
import { CreateRouterDto, RouterQueryDto, RouterViewDto, UpdateRouterDto, WebhookTokenDto } from './router.dto';
import { RoutersService, routerView } from './routers.service';

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
  create(@Body() dto: CreateRouterDto) {
    return this.routers.create(dto);
  }

  @Patch(':id')
  @RequireRole(Role.NETADMIN)
  @ApiOkResponse({ type: RouterViewDto })
  update(@Param('id', ParseObjectIdPipe) id: string, @Body() dto: UpdateRouterDto) {
    return this.routers.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireRole(Role.NETADMIN)
  async remove(@Param('id', ParseObjectIdPipe) id: string) {
    await this.routers.remove(id);
  }

  /** Issues or rotates the webhook token; the response is the only time it is shown. */
  @Post(':id/webhook-token')
  @RequireRole(Role.ADMIN)
  @ApiCreatedResponse({ type: WebhookTokenDto })
  issueToken(@Param('id', ParseObjectIdPipe) id: string) {
    return this.routers.issueToken(id);
  }
}
