import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { NotFoundError, UnauthenticatedError } from '@isp/domain';
import { JwtService } from '@nestjs/jwt';
import bcrypt from 'bcryptjs';
import { ApiGatewayConfig } from '../config/api-gateway.config';
import type { AdminUser } from './admin-user.schema';
import { AdminUserRepository } from './admin-user.repository';
import type { AdminUserViewDto, TokenResponseDto } from './auth.dto';
import { LoginRateLimiter } from './login-rate-limiter';
import { Role, type Principal } from './roles';
import { SessionService, type AccessClaims } from './session.service';

export function adminUserView(u: AdminUser): AdminUserViewDto {
  return { id: String(u._id), email: u.email, name: u.name, role: u.role, buildings: (u.buildings ?? []).map(String), active: u.active, lastLoginAt: u.lastLoginAt };
}

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthService.name);
  /** Compared against when the e-mail is unknown, so both cases take as long. */
  private dummyHash?: Promise<string>;

  constructor(
    private readonly users: AdminUserRepository,
    private readonly jwt: JwtService,
    private readonly limiter: LoginRateLimiter,
    private readonly sessions: SessionService,
    private readonly config: ApiGatewayConfig,
  ) {}

  /** Seeds the first admin from config when there is none (idempotent across replicas). */
  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = this.config;
    if (!email || !password) {
      if (!(await this.users.anyAdmin())) this.logger.warn('No admin user exists and ADMIN_EMAIL/ADMIN_PASSWORD are not set: nobody can log in');
      return;
    }
    if (await this.users.anyAdmin()) return;
    const created = await this.users.createIfAbsent({ email, passwordHash: await bcrypt.hash(password, this.config.BCRYPT_ROUNDS), role: Role.ADMIN, name: 'First admin' });
    if (created) this.logger.log(`First admin ${email} created from configuration`);
  }

  async login(email: string, password: string, ip: string): Promise<TokenResponseDto> {
    await this.limiter.hit(ip, email);
    const user = await this.users.findByEmail(email);
    this.dummyHash ??= bcrypt.hash('not-a-password', this.config.BCRYPT_ROUNDS);
    const ok = await bcrypt.compare(password, user?.passwordHash ?? (await this.dummyHash));
    if (!user || !ok || !user.active) throw new UnauthenticatedError('Wrong e-mail or password');
    await this.users.touchLogin(user._id);
    return this.issue(user);
  }

  async issue(user: AdminUser): Promise<TokenResponseDto> {
    // Role and buildings ride along for the dashboard; the API reads them afresh (SessionService).
    const claims: AccessClaims & Omit<Principal, 'sub'> = {
      sub: String(user._id),
      typ: 'access',
      sv: user.sessionVersion ?? 0,
      email: user.email,
      role: user.role,
      buildings: (user.buildings ?? []).map(String),
    };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.JWT_TTL_SEC, algorithm: 'HS256' });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.JWT_TTL_SEC, role: user.role };
  }

  async me(p: Principal): Promise<AdminUserViewDto> {
    const u = await this.users.findById(p.sub);
    if (!u) throw new NotFoundError('User', p.sub, 'User no longer exists');
    return adminUserView(u);
  }
}
