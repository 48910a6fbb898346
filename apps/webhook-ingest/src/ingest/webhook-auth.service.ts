import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { parseWebhookToken, tokenMatches, WEBHOOK_TOKEN_HEADER } from '@isp/domain';
import { WebhookIngestConfig } from '../config/webhook-ingest.config';
import { plainAddress } from '../routers/address-allowlist';
import { RouterCacheService, type CachedRouter } from '../routers/router-cache.service';
import { TokenBuckets } from './token-bucket';
import { RejectReason, WebhookRejection } from './webhook-rejection';

/** What authentication reads from a request: its headers and its source address. */
export interface WebhookCaller {
  headers: IncomingHttpHeaders;
  /** The client address; X-Forwarded-For is honoured only from TRUSTED_PROXIES (see the Fastify options). */
  ip: string;
}

/**
 * Who is calling: the router's token (constant-time hash check against the cached router), its
 * source address (optional per-router allowlist) and its rate. Throws a WebhookRejection
 * (401/403/429/503) otherwise. Called before the body is validated, so a stranger learns
 * nothing about the body rules.
 */
@Injectable()
export class WebhookAuthService {
  private readonly buckets: TokenBuckets;

  constructor(
    private readonly cache: RouterCacheService,
    config: WebhookIngestConfig,
  ) {
    this.buckets = new TokenBuckets(config.RATE_LIMIT_PER_SECOND, config.RATE_LIMIT_BURST);
  }

  /** Synchronous when the router is cached (the steady state): no promise per request. */
  authenticate(caller: WebhookCaller): CachedRouter | Promise<CachedRouter> {
    const header = caller.headers[WEBHOOK_TOKEN_HEADER];
    const token = typeof header === 'string' ? header.trim() : '';
    if (!token) throw new WebhookRejection(401, RejectReason.MISSING_TOKEN, 'missing X-Webhook-Token header');
    if (!this.cache.ready) throw new WebhookRejection(503, RejectReason.NOT_READY, 'router list not loaded yet, try again', undefined, { 'Retry-After': '5' });
    const parsed = parseWebhookToken(token);
    if (!parsed) throw this.invalidToken();
    const cached = this.check(parsed.routerId, parsed.secret);
    if (cached) return this.admit(caller, cached);
    // Unknown router (just created) or secret mismatch (just rotated): one rate-limited reload,
    // and a miss that survives it is remembered, so repeating it reloads nothing.
    return this.cache.reloadForMiss(parsed.routerId).then((reloaded) => {
      const router = reloaded ? this.check(parsed.routerId, parsed.secret) : null;
      if (!router) {
        if (reloaded) this.cache.rememberMiss(parsed.routerId);
        throw this.invalidToken();
      }
      return this.admit(caller, router);
    });
  }

  private check(routerId: string, secret: string): CachedRouter | null {
    const r = this.cache.get(routerId);
    return r && tokenMatches(secret, r.tokenHash) ? r : null;
  }

  private invalidToken(): WebhookRejection {
    return new WebhookRejection(401, RejectReason.INVALID_TOKEN, 'unknown or invalid webhook token');
  }

  private admit(caller: WebhookCaller, router: CachedRouter): CachedRouter {
    const source = plainAddress(caller.ip);
    if (router.allowlist && !router.allowlist.has(source)) {
      throw new WebhookRejection(403, RejectReason.SOURCE_NOT_ALLOWED, `source address ${source} is not allowed for this router`);
    }
    if (!this.buckets.take(router.id)) {
      const retry = String(this.buckets.retryAfterSeconds(router.id));
      throw new WebhookRejection(429, RejectReason.RATE_LIMITED, 'too many webhooks from this router, slow down', undefined, { 'Retry-After': retry });
    }
    return router;
  }
}
