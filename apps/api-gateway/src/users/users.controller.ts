import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { Audited } from '../audit/audited.decorator';
import { ADMIN_USER_MODEL } from '../auth/admin-user.schema';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminUserViewDto, CreateAdminUserDto, UpdateAdminUserDto } from '../auth/auth.dto';
import { CurrentUser } from '../auth/current-user.decorator';
import { RequireRole } from '../auth/roles.decorator';
import { Role, type Principal } from '../auth/roles';
import { API_V1 } from '../common/api-prefix';
import { ParseObjectIdPipe } from '../common/object-id.pipe';
import { ApiPageResponse, PageQueryDto, pageOf } from '../common/pagination.dto';
import { UsersService } from './users.service';
import { ApiErrors } from '../common/api-errors';

/** The admin API's own users (not subscribers): admins only. */
@ApiTags('users')
@Audited('user', ADMIN_USER_MODEL)
@Controller(`${API_V1}/users`)
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @RequireRole(Role.ADMIN)
  @ApiPageResponse(AdminUserViewDto)
  list(@Query() q: PageQueryDto) {
    const { limit, skip } = pageOf(q);
    return this.users.list(limit, skip);
  }

  @Get(':id')
  @RequireRole(Role.ADMIN)
  @ApiOkResponse({ type: AdminUserViewDto })
  get(@Param('id', ParseObjectIdPipe) id: string) {
    return this.users.get(id);
  }

  @Post()
  @RequireRole(Role.ADMIN)
  @ApiCreatedResponse({ type: AdminUserViewDto })
  @ApiErrors(409)
  create(@Body() dto: CreateAdminUserDto) {
    return this.users.create(dto);
  }

  @Patch(':id')
  @RequireRole(Role.ADMIN)
  @ApiOkResponse({ type: AdminUserViewDto })
  update(@Param('id', ParseObjectIdPipe) id: string, @Body() dto: UpdateAdminUserDto) {
    return this.users.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'deleted' })
  @RequireRole(Role.ADMIN)
  @ApiErrors(409)
  async remove(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() p: Principal) {
    await this.users.remove(id, p);
  }
}
