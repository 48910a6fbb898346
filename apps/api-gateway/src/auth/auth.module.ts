import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule, type JwtModuleOptions } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { MongooseModule } from '@nestjs/mongoose';
import type { ApiGatewayConfig } from '../config/api-gateway.config';
import { ADMIN_USER_MODEL, AdminUserSchema } from './admin-user.schema';
import { AdminUserRepository } from './admin-user.repository';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { FeedTicketService } from './feed-ticket.service';
import { LoginRateLimiter } from './login-rate-limiter';
import { SessionService } from './session.service';

/**
 * The access tokens' signing: HS256 with JWT_SECRET as a key object made once. Given the string,
 * jsonwebtoken first tries to parse it as a PEM public key on every verify (and throws), which
 * cost about a tenth of a millisecond per request (bench/status profile).
 */
export function jwtOptions(config: Pick<ApiGatewayConfig, 'JWT_SECRET'>): JwtModuleOptions {
  return { secret: createSecretKey(Buffer.from(config.JWT_SECRET)), signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } };
}

@Module({})
export class AuthModule {
  static forRoot(config: ApiGatewayConfig): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [
        JwtModule.register(jwtOptions(config)),
        MongooseModule.forFeature([{ name: ADMIN_USER_MODEL, schema: AdminUserSchema }]),
      ],
      controllers: [AuthController],
      providers: [AdminUserRepository, AuthService, LoginRateLimiter, SessionService, FeedTicketService, AuthGuard, { provide: APP_GUARD, useExisting: AuthGuard }],
      exports: [JwtModule, AuthService, AuthGuard, SessionService, FeedTicketService, AdminUserRepository],
    };
  }
}
