import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { MikrotikRouterRepository } from '@isp/data';
import { NegativeCache } from '@isp/domain';
import { WebhookIngestConfig } from '../config/webhook-ingest.config';
import { AddressAllowlist } from './address-allowlist';

/** What ingest knows about a router: enough to authenticate its webhooks, nothing more. */
export interface CachedRouter {
  id: string;
  name: string;
  tokenHash?: string;
  /** null: any source address is allowed */
  allowlist: AddressAllowlist | null;
}

/**
 * Routers' auth view in memory, so a webhook costs no database round trip. Kept fresh by the
 * ROUTER_CHANGED broadcast, a periodic reload as a safety net (a missed pub/sub message), and
 * at most one reload per interval when a token names a router we do not know (just created).
 */
@Injectable()
export class RouterCacheService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RouterCacheService.name);
  private routers = new Map<string, CachedRouter>();
  private loadedAt = 0;
  private lastMissReloadAt = 0;
  private inflight: Promise<void> | null = null;
  private again = false;
  private timer?: NodeJS.Timeout;
  /**
   * Router ids a reload did not help (unknown, or the token still did not match): their next
   * misses reload nothing until the periodic reload, which would catch a missed broadcast anyway.
   * Without it a forged token naming a real router reloaded every router every interval.
   */
  private readonly misses: NegativeCache;

  constructor(
    private readonly repo: MikrotikRouterRepository,
    private readonly config: WebhookIngestConfig,
  ) {
    this.misses = new NegativeCache(config.ROUTER_CACHE_REFRESH_MS);
  }

  async onModuleInit(): Promise<void> {
    // A database that is away at start must not keep the edge down: requests answer 503 until
    // the first load succeeds (periodic reload keeps trying).
    await this.reload().catch((err: Error) => this.logger.error(`router cache: first load failed: ${err.message}`));
    this.timer = setInterval(() => void this.reload().catch((err: Error) => this.logger.warn(`router cache: reload failed: ${err.message}`)), this.config.ROUTER_CACHE_REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  get ready(): boolean {
    return this.loadedAt > 0;
  }

  get size(): number {
    return this.routers.size;
  }

  get(id: string): CachedRouter | undefined {
    return this.routers.get(id);
  }

  /**
   * For a token naming a router we do not know (just created) or with a secret that does not
   * match (just rotated, broadcast missed): reload, but at most once per interval however many
   * such requests come, so forged tokens cannot turn into a database round trip each, and never
   * for a router id that a reload already did not help (see rememberMiss).
   * Resolves true when a reload ran (or one in progress finished).
   */
  async reloadForMiss(routerId: string): Promise<boolean> {
    if (this.misses.has(routerId)) return false;
    if (this.inflight) {
      await this.inflight.catch(() => undefined);
      return true;
    }
    const now = Date.now();
    if (now - this.lastMissReloadAt < this.config.UNKNOWN_ROUTER_RELOAD_INTERVAL_MS) return false;
    this.lastMissReloadAt = now;
    await this.reload().catch((err: Error) => this.logger.warn(`router cache: reload for an unknown token failed: ${err.message}`));
    return true;
  }

  /** A token naming this router id still failed after a reload: its next misses reload nothing for a while. */
  rememberMiss(routerId: string): void {
    this.misses.add(routerId);
  }

  /**
   * Reloads every router. Calls during a reload coalesce into one more reload after it, so a
   * change broadcast while a load is reading is never missed.
   */
  reload(): Promise<void> {
    if (this.inflight) {
      this.again = true;
      return this.inflight;
    }
    const run = async (): Promise<void> => {
      do {
        this.again = false;
        const rows = await this.repo.findAuthView();
        const next = new Map<string, CachedRouter>();
        for (const r of rows) {
          const id = String(r._id);
          const entries = r.allowedSourceIps ?? [];
          const allowlist = entries.length ? new AddressAllowlist(entries) : null;
          if (allowlist?.invalid.length) this.logger.warn(`router ${r.name} (${id}): ignoring invalid allowedSourceIps entries: ${allowlist.invalid.join(', ')}`);
          // An allowlist whose every entry is invalid allows nothing rather than everything.
          next.set(id, { id, name: r.name, tokenHash: r.webhookTokenHash, allowlist });
        }
        this.routers = next;
        this.loadedAt = Date.now();
      } while (this.again);
    };
    this.inflight = run().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }
}
