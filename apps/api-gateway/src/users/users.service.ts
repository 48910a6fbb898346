import { Injectable } from '@nestjs/common';
import { toId } from '@isp/data';
import { ConflictError, NotFoundError } from '@isp/domain';
import bcrypt from 'bcryptjs';
import type { AdminUser } from '../auth/admin-user.schema';
import { AdminUserRepository } from '../auth/admin-user.repository';
import type { AdminUserViewDto, CreateAdminUserDto, UpdateAdminUserDto } from '../auth/auth.dto';
import { adminUserView } from '../auth/auth.service';
import type { Principal } from '../auth/roles';
import { SessionService } from '../auth/session.service';
import { ApiGatewayConfig } from '../config/api-gateway.config';

/** The admin API's users: who may log in, with which role and buildings. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: AdminUserRepository,
    private readonly sessions: SessionService,
    private readonly config: ApiGatewayConfig,
  ) {}

  async list(limit: number, skip: number) {
    const { items, total } = await this.users.list(limit, skip);
    return { items: items.map(adminUserView), total, limit, skip };
  }

  async get(id: string): Promise<AdminUserViewDto> {
    const u = await this.users.findById(id);
    if (!u) throw new NotFoundError('User', id);
    return adminUserView(u);
  }

  async create(dto: CreateAdminUserDto): Promise<AdminUserViewDto> {
    if (await this.users.findByEmail(dto.email)) throw new ConflictError(`A user with e-mail ${dto.email} already exists`);
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
    // null is "not given", as the DTO's @IsOptional lets it through (the fuzz sent buildings: null).
    const set: Partial<AdminUser> = {};
    if (dto.name != null) set.name = dto.name;
    if (dto.role != null) set.role = dto.role;
    if (dto.active != null) set.active = dto.active;
    if (dto.buildings != null) set.buildings = dto.buildings.map(toId);
    if (dto.password != null) set.passwordHash = await bcrypt.hash(dto.password, this.config.BCRYPT_ROUNDS);
    // A new password or a deactivation ends the user's sessions; a new role or building list
    // applies to the tokens they hold (SessionService reads the user, not the token).
    const u = await this.users.update(id, set, dto.password != null || dto.active === false);
    this.sessions.forget(id);
    if (!u) throw new NotFoundError('User', id);
    return adminUserView(u);
  }

  async remove(id: string, by: Principal): Promise<void> {
    if (id === by.sub) throw new ConflictError('You cannot delete yourself');
    const deleted = await this.users.delete(id);
    this.sessions.forget(id);
    if (!deleted) throw new NotFoundError('User', id);
  }
}
