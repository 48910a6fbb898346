import { ConflictException, Injectable, Logger, NotFoundException, OnApplicationBootstrap, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { toId } from '@isp/data';
import bcrypt from 'bcryptjs';
import { ApiGatewayConfig } from '../config/api-gateway.config';
import type { AdminUser } from './admin-user.schema';
import { AdminUserRepository } from './admin-user.repository';
import type { AdminUserViewDto, CreateAdminUserDto, TokenResponseDto, UpdateAdminUserDto } from './auth.dto';
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
    if (!user || !ok || !user.active) throw new UnauthorizedException('Wrong e-mail or password');
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
    if (!u) throw new NotFoundException('User no longer exists');
    return adminUserView(u);
  }

  async list(limit: number, skip: number) {
    const { items, total } = await this.users.list(limit, skip);
    return { items: items.map(adminUserView), total, limit, skip };
  }

  async get(id: string): Promise<AdminUserViewDto> {
    const u = await this.users.findById(id);
    if (!u) throw new NotFoundException(`User ${id} not found`);
    return adminUserView(u);
  }

  async create(dto: CreateAdminUserDto): Promise<AdminUserViewDto> {
    if (await this.users.findByEmail(dto.email)) throw new ConflictException(`A user with e-mail ${dto.email} already exists`);
    const u = await this.users.create({
      email: dto.email,
      name: dto.name,
      role: dto.role,
      buildings: (dto.buildings ?? []).map(toId),
      passwordHash: await bcrypt.hash(dto.password, this.config.BCRYPT_ROUNDS),
    });
    return adminUserView(u);
  }

  async update(id: string, dto: UpdateAdminUserDto): Promise<AdminUserViewDto> {
    const set: Partial<AdminUser> = {};
    if (dto.name !== undefined) set.name = dto.name;
    if (dto.role !== undefined) set.role = dto.role;
    if (dto.active !== undefined) set.active = dto.active;
    if (dto.buildings !== undefined) set.buildings = dto.buildings.map(toId);
    if (dto.password !== undefined) set.passwordHash = await bcrypt.hash(dto.password, this.config.BCRYPT_ROUNDS);
    // A new password or a deactivation ends the user's sessions; a new role or building list
    // applies to the tokens they hold (SessionService reads the user, not the token).
    const u = await this.users.update(id, set, dto.password !== undefined || dto.active === false);
    this.sessions.forget(id);
    if (!u) throw new NotFoundException(`User ${id} not found`);
    return adminUserView(u);
  }

  async remove(id: string, by: Principal): Promise<void> {
    if (id === by.sub) throw new ConflictException('You cannot delete yourself');
    const deleted = await this.users.delete(id);
    this.sessions.forget(id);
    if (!deleted) throw new NotFoundException(`User ${id} not found`);
  }
}
