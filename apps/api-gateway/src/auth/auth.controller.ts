import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { API_V1 } from '../common/api-prefix';
import { NotAudited } from '../audit/audited.decorator';
import { AdminUserViewDto, LoginDto, TokenResponseDto } from './auth.dto';
import { AuthService } from './auth.service';
import { CurrentUser } from './current-user.decorator';
import { Public, RequireRole } from './roles.decorator';
import { Role, type Principal } from './roles';
import { ApiErrors } from '../common/api-errors';

@ApiTags('auth')
@Controller(`${API_V1}/auth`)
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  // Signing in changes nothing an operator manages; attempts are in the request log and the rate limiter.
  @NotAudited()
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiTooManyRequestsResponse({ description: 'login rate limit reached' })
  @ApiErrors(401)
  login(@Body() dto: LoginDto, @Req() req: FastifyRequest): Promise<TokenResponseDto> {
    return this.auth.login(dto.email, dto.password, req.ip);
  }

  @Get('me')
  @RequireRole(Role.SUPPORT)
  @ApiOkResponse({ type: AdminUserViewDto })
  @ApiErrors(404)
  me(@CurrentUser() p: Principal) {
    return this.auth.me(p);
  }
}
