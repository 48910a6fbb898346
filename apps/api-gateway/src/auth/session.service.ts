import { Injectable, Logger } from '@nestjs/common';
import { UnauthenticatedError } from '@isp/domain';
import { JwtService } from '@nestjs/jwt';
import { isValidObjectId } from 'mongoose';
import type { AdminUser } from './admin-user.schema';
import { AdminUserRepository } from './admin-user.repository';
import type { Principal } from './roles';

/** What an access token carries (see AuthService.issue). */
export interface AccessClaims {
  sub: string;
  typ: 'access';
  /** The user's session version when the token was issued. */
  sv: number;
  /** Expiry (seconds since the epoch), set by the JWT library. */
  exp?: number;
}

/** The token of an `Authorization: Bearer <token>` header, if that is what it is. */
export function bearerToken(authorization: unknown): string | undefined {
  return typeof authorization === 'string' && /^Bearer\s+\S+$/i.test(authorization) ? authorization.split(/\s+/)[1] : undefined;
}

/**
 * How long a replica trusts what it read about a user. Bounds how late another replica sees a
 * deactivation or a demotion; the replica that made the change forgets at once.
 */
const RECHECK_MS = 5000;

/**
 * Who a bearer token speaks for, as of now. The token proves identity (signature, expiry); the
 * database says what that person may do. So a user deactivated, deleted or demoted loses access
 * within seconds, not when the token expires (JWT_TTL_SEC, an hour by default), and a password
 * change or a deactivation ends every token issued before it (the session version).
 */
@Injectable()
export class SessionService {
  private readonly log = new Logger(SessionService.name);
  private readonly known = new Map<string, { until: number; user: AdminUser | null }>();

  constructor(
    private readonly jwt: JwtService,
    private readonly users: AdminUserRepository,
  ) {}

  async principal(token: string): Promise<Principal> {
    return this.principalFor(await this.claims(token));
  }

  /** The verified claims of an access token (signature, expiry, type). */
  async claims(token: string): Promise<AccessClaims> {
    let claims: Partial<AccessClaims>;
    try {
      claims = await this.jwt.verifyAsync<Partial<AccessClaims>>(token, { algorithms: ['HS256'] });
    } catch {
      throw new UnauthenticatedError('Invalid or expired token');
    }
    if (claims.typ !== 'access' || !isValidObjectId(claims.sub)) throw new UnauthenticatedError('Invalid or expired token');
    return { sub: claims.sub!, typ: 'access', sv: claims.sv ?? 0, exp: claims.exp };
  }

  /**
   * Who verified claims speak for now. Claims kept past the request (a feed ticket, a long-lived
   * stream) are re-checked here, expiry included.
   */
  async principalFor(claims: AccessClaims): Promise<Principal> {
    if (claims.exp !== undefined && claims.exp * 1000 <= Date.now()) throw new UnauthenticatedError('Invalid or expired token');
    const user = await this.current(claims.sub);
    if (!user?.active) throw new UnauthenticatedError('This account is disabled or no longer exists');
    if ((claims.sv ?? 0) !== (user.sessionVersion ?? 0)) throw new UnauthenticatedError('This session has ended; log in again');
    return { sub: String(user._id), email: user.email, name: user.name, role: user.role, buildings: (user.buildings ?? []).map(String) };
  }

  /**
   * Whether the claims still speak for an active user (long-lived streams re-check them). Only a
   * refusal says no: the database being briefly unreachable does not end anyone's stream (it is
   * logged, and the next check decides).
   */
  stillValid(claims: AccessClaims): Promise<boolean> {
    return this.principalFor(claims).then(
      () => true,
      (err: unknown) => {
        if (err instanceof UnauthenticatedError) return false;
        this.log.warn(`session re-check failed, stream kept: ${(err as Error).message}`);
        return true;
      },
    );
  }

  /** This replica just changed or deleted the user: read them afresh on their next request. */
  forget(id: string): void {
    this.known.delete(id);
  }

  private async current(id: string): Promise<AdminUser | null> {
    const now = Date.now();
    const hit = this.known.get(id);
    if (hit && hit.until > now) return hit.user;
    const user = await this.users.findById(id);
    this.known.set(id, { until: now + RECHECK_MS, user });
    return user;
  }
}
