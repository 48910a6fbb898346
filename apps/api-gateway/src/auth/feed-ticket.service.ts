import { Inject, Injectable } from '@nestjs/common';
import { PLATFORM_REDIS } from '@isp/platform';
import type { Redis } from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import { ApiGatewayConfig } from '../config/api-gateway.config';
import type { AccessClaims } from './session.service';

/** How long a feed ticket can be redeemed: long enough to open an EventSource, no more. */
export const FEED_TICKET_TTL_SEC = 30;
/** Upper bound of a queue-board browser session (it also ends with the token it came from). */
const BOARD_SESSION_MAX_SEC = 8 * 3600;

/**
 * Single-use tickets for the SSE feed. EventSource cannot set headers, and a JWT in the URL
 * ends up in access logs, proxy logs and browser history; a ticket there is worth nothing once
 * the stream is open (redeemed on first use) or after 30 s. Tickets live in Redis so any replica
 * can redeem one another issued; only a hash of the ticket is stored, with the claims of the
 * token that asked for it (never the token itself), so the stream keeps re-checking the session.
 *
 * The queue board (a Fastify plugin whose own pages fetch its assets and API) is opened the same
 * way: the ticket is exchanged once for an opaque board session kept in an HttpOnly cookie, which
 * again maps to the claims in Redis, so no JWT ever travels in a URL or a cookie.
 */
@Injectable()
export class FeedTicketService {
  constructor(
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    private readonly config: ApiGatewayConfig,
  ) {}

  async issue(claims: AccessClaims): Promise<{ ticket: string; expiresIn: number }> {
    const ticket = await this.store('feed-ticket', claims, FEED_TICKET_TTL_SEC);
    return { ticket, expiresIn: FEED_TICKET_TTL_SEC };
  }

  /** The claims the ticket was issued for, once; undefined when unknown, used or expired. */
  redeem(ticket: string): Promise<AccessClaims | undefined> {
    return this.load('feed-ticket', ticket, true);
  }

  /** Exchanges claims (from a redeemed ticket) for a board session id, living no longer than the token. */
  openBoardSession(claims: AccessClaims): Promise<string> {
    const left = claims.exp !== undefined ? claims.exp - Math.floor(Date.now() / 1000) : BOARD_SESSION_MAX_SEC;
    return this.store('board-session', claims, Math.max(1, Math.min(left, BOARD_SESSION_MAX_SEC)));
  }

  /** The claims behind a board session cookie, while it lasts. */
  boardSession(id: string): Promise<AccessClaims | undefined> {
    return this.load('board-session', id, false);
  }

  private async store(kind: string, claims: AccessClaims, ttlSec: number): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    const value: AccessClaims = { sub: claims.sub, typ: 'access', sv: claims.sv, exp: claims.exp };
    await this.redis.set(this.key(kind, id), JSON.stringify(value), 'EX', ttlSec);
    return id;
  }

  private async load(kind: string, id: string, once: boolean): Promise<AccessClaims | undefined> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(id)) return undefined;
    const raw = once ? await this.redis.getdel(this.key(kind, id)) : await this.redis.get(this.key(kind, id));
    if (!raw) return undefined;
    const claims = JSON.parse(raw) as AccessClaims;
    return claims.typ === 'access' && typeof claims.sub === 'string' ? claims : undefined;
  }

  private key(kind: string, id: string): string {
    return `${this.config.QUEUE_PREFIX}:${kind}:${createHash('sha256').update(id).digest('hex')}`;
  }
}
