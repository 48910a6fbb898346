import { Inject, Injectable } from '@nestjs/common';
import { PLATFORM_REDIS } from '@isp/platform';
import type { Redis } from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import { ApiGatewayConfig } from '../config/api-gateway.config';
import type { AccessClaims } from './session.service';

/** How long a feed ticket can be redeemed: long enough to open an EventSource, no more. */
export const FEED_TICKET_TTL_SEC = 30;

/**
 * Single-use tickets for the SSE feed. EventSource cannot set headers, and a JWT in the URL
 * ends up in access logs, proxy logs and browser history; a ticket there is worth nothing once
 * the stream is open (redeemed on first use) or after 30 s. Tickets live in Redis so any replica
 * can redeem one another issued; only a hash of the ticket is stored, with the claims of the
 * token that asked for it (never the token itself), so the stream keeps re-checking the session.
 */
@Injectable()
export class FeedTicketService {
  constructor(
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    private readonly config: ApiGatewayConfig,
  ) {}

  async issue(claims: AccessClaims): Promise<{ ticket: string; expiresIn: number }> {
    const ticket = randomBytes(32).toString('base64url');
    const value: AccessClaims = { sub: claims.sub, typ: 'access', sv: claims.sv, exp: claims.exp };
    await this.redis.set(this.key(ticket), JSON.stringify(value), 'EX', FEED_TICKET_TTL_SEC);
    return { ticket, expiresIn: FEED_TICKET_TTL_SEC };
  }

  /** The claims the ticket was issued for, once; undefined when unknown, used or expired. */
  async redeem(ticket: string): Promise<AccessClaims | undefined> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(ticket)) return undefined;
    const raw = await this.redis.getdel(this.key(ticket));
    if (!raw) return undefined;
    const claims = JSON.parse(raw) as AccessClaims;
    return claims.typ === 'access' && typeof claims.sub === 'string' ? claims : undefined;
  }

  private key(ticket: string): string {
    return `${this.config.QUEUE_PREFIX}:feed-ticket:${createHash('sha256').update(ticket).digest('hex')}`;
  }
}
