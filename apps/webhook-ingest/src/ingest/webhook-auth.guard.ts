import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { parseWebhookToken, PLATFORM_CONFIG, tokenMatches, WEBHOOK_TOKEN_HEADER } from '@isp/domain';
import type { WebhookIngestConfig } from '../config/webhook-ingest.config';
import { plainAddress } from '../routers/address-allowlist';
import { RouterCacheService, type CachedRouter } from '../routers/router-cache.service';
import { TokenBuckets } from './token-bucket';
import { RejectReason, WebhookRejection } from './webhook-rejection';

export type WebhookRequest = FastifyRequest & { router?: CachedRouter };

/**
 * Who is calling: the router's token (constant-time hash check against the cached router), its
 * source address (optional per-router allowlist; `request.ip` honours X-Forwarded-For only from
 * TRUSTED_PROXIES, see the Fastify options) and its rate. Runs before the body is validated, so
 * a stranger learns nothing about the body rules.
 */
@Injectable()
export class WebhookAuthGuard implements CanActivate {
  private readonly buckets: TokenBuckets;

  constructor(
    private readonly cache: RouterCacheService,
    @Inject(PLATFORM_CONFIG) config: WebhookIngestConfig,
  ) {
    this.buckets = new TokenBuckets(config.RATE_LIMIT_PER_SECOND, config.RATE_LIMIT_BURST);
  }

  /** Synchronous when the router is cached (the steady state): no promise per request. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const req = context.switchToHttp().getRequest<WebhookRequest>();
    const header = req.headers[WEBHOOK_TOKEN_HEADER];
    const token = typeof header === 'string' ? header.trim() : '';
    if (!token) throw new WebhookRejection(401, RejectReason.MISSING_TOKEN, 'missing X-Webhook-Token header');
    if (!this.cache.ready) throw new WebhookRejection(503, RejectReason.NOT_READY, 'router list not loaded yet, try again', undefined, { 'Retry-After': '5' });
    const parsed = parseWebhookToken(token);
    if (!parsed) throw this.invalidToken();
    const cached = this.check(parsed.routerId, parsed.secret);
    if (cached) return this.admit(req, cached);
    // Unknown router (just created) or secret mismatch (just rotated): one rate-limited reload.
    return this.cache.reloadForMiss().then((reloaded) => {
      const router = reloaded ? this.check(parsed.routerId, parsed.secret) : null;
      if (!router) throw this.invalidToken();
      return this.admit(req, router);
    });
  }

  private check(routerId: string, secret: string): CachedRouter | null {
    const r = this.cache.get(routerId);
    return r && tokenMatches(secret, r.tokenHash) ? r : null;
  }

  private invalidToken(): WebhookRejection {
    return new WebhookRejection(401, RejectReason.INVALID_TOKEN, 'unknown or invalid webhook token');
  }

  private admit(req: WebhookRequest, router: CachedRouter): boolean {
    const source = plainAddress(req.ip);
    if (router.allowlist && !router.allowlist.has(source)) {
      throw new WebhookRejection(403, RejectReason.SOURCE_NOT_ALLOWED, `source address ${source} is not allowed for this router`);
    }
    if (!this.buckets.take(router.id)) {
      const retry = String(this.buckets.retryAfterSeconds(router.id));
      throw new WebhookRejection(429, RejectReason.RATE_LIMITED, 'too many webhooks from this router, slow down', undefined, { 'Retry-After': retry });
    }
    req.router = router;
    return true;
  }
}
