import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { API_V1 } from '../common/api-prefix';
import { ParseObjectIdPipe } from '../common/object-id.pipe';
import { ApiPageResponse, PageQueryDto, pageOf } from '../common/pagination.dto';
import { AdminUserViewDto, CreateAdminUserDto, LoginDto, TokenResponseDto, UpdateAdminUserDto } from './auth.dto';
import { AuthService } from './auth.service';
import { CurrentUser } from './current-user.decorator';
import { Public, RequireRole } from './roles.decorator';
import { Role, type Principal } from './roles';

@ApiTags('auth')
@Controller(`${API_V1}/auth`)
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiTooManyRequestsResponse({ description: 'login rate limit reached' })
  login(@Body() dto: LoginDto, @Req() req: FastifyRequest): Promise<TokenResponseDto> {
    return this.auth.login(dto.email, dto.password, req.ip);
  }

  @Get('me')
  @RequireRole(Role.SUPPORT)
  @ApiOkResponse({ type: AdminUserViewDto })
  me(@CurrentUser() p: Principal) {
    return this.auth.me(p);
  }
}

@ApiTags('users')
@Controller(`${API_V1}/users`)
export class AdminUsersController {
  constructor(private readonly auth: AuthService) {}

  @Get()
  @RequireRole(Role.ADMIN)
  @ApiPageResponse(AdminUserViewDto)
  list(@Query() q: PageQueryDto) {
    const { limit, skip } = pageOf(q);
    return this.auth.list(limit, skip);
  }

  @Get(':id')
  @RequireRole(Role.ADMIN)
  @ApiOkResponse({ type: AdminUserViewDto })
  get(@Param('id', ParseObjectIdPipe) id: string) {
    return this.auth.get(id);
  }

  @Post()
  @RequireRole(Role.ADMIN)
  @ApiCreatedResponse({ type: AdminUserViewDto })
  create(@Body() dto: CreateAdminUserDto) {
    return this.auth.create(dto);
  }

  @Patch(':id')
  @RequireRole(Role.ADMIN)
  @ApiOkResponse({ type: AdminUserViewDto })
  update(@Param('id', ParseObjectIdPipe) id: string, @Body() dto: UpdateAdminUserDto) {
    return this.auth.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireRole(Role.ADMIN)
  async remove(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() p: Principal) {
    await this.auth.remove(id, p);
  }
}
