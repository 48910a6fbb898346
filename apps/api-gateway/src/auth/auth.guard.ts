import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FeedTicketService } from './feed-ticket.service';
import { FEED_TICKET_KEY, PUBLIC_KEY, ROLE_KEY } from './roles.decorator';
import { hasRole, type Principal, type Role } from './roles';
import { bearerToken, SessionService, type AccessClaims } from './session.service';

/**
 * Platform routes that are public by design: the Kubernetes probes and the Prometheus scrape
 * endpoint (they carry no data about the network; an ingress in front of the gateway should route
 * only /api and the console).
 */
export const PLATFORM_PUBLIC_CONTROLLERS = new Set(['HealthController', 'MetricsController']);

export interface AuthRequest {
  headers: Record<string, string | string[] | undefined>;
  query?: Record<string, unknown>;
  principal?: Principal;
  /** The verified claims the principal was read from (streams re-check them, tickets carry them). */
  claims?: AccessClaims;
}

/**
 * Global guard: a route is reachable only with a valid bearer token of an active user whose
 * current role is at least the role the route declares. A route that declares nothing is refused
 * (fail closed) so a forgotten decorator cannot open a hole; the route-table test finds such
 * routes before they ship.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
    private readonly tickets: FeedTicketService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true; // broadcasts over the Redis transport
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    if (PLATFORM_PUBLIC_CONTROLLERS.has(ctx.getClass().name)) return true;
    const need = this.reflector.getAllAndOverride<Role | undefined>(ROLE_KEY, targets);
    const req = ctx.switchToHttp().getRequest<AuthRequest>();
    const claims = await this.authenticate(req, this.reflector.getAllAndOverride<boolean>(FEED_TICKET_KEY, targets) ?? false);
    const principal = await this.sessions.principalFor(claims);
    if (!need) {
      this.logger.error(`${ctx.getClass().name}.${ctx.getHandler().name} declares no role: refused`);
      throw new ForbiddenException('This route declares no role');
    }
    if (!hasRole(principal.role, need)) throw new ForbiddenException(`Requires role ${need} or higher`);
    req.principal = principal;
    req.claims = claims;
    return true;
  }

  private async authenticate(req: AuthRequest, allowTicket: boolean): Promise<AccessClaims> {
    const token = bearerToken(req.headers.authorization);
    if (token) return this.sessions.claims(token);
    if (allowTicket && typeof req.query?.ticket === 'string') {
      const claims = await this.tickets.redeem(req.query.ticket);
      if (!claims) throw new UnauthorizedException('Invalid, used or expired feed ticket');
      return claims;
    }
    throw new UnauthorizedException('Missing bearer token');
  }
}
