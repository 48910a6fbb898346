import { Types } from 'mongoose';
import type { MikrotikRouterRepository } from '@isp/data';
import type { WebhookIngestConfig } from '../config/webhook-ingest.config';
import { RouterCacheService } from './router-cache.service';

// A stand-in repository returning rows: this spec is about when the cache reloads, not about queries.
function cacheWith(rows: { _id: Types.ObjectId; name: string; webhookTokenHash?: string; allowedSourceIps: string[] }[], intervalMs: number) {
  let loads = 0;
  const repo = { findAuthView: async () => (loads++, rows) } as unknown as MikrotikRouterRepository;
  const cache = new RouterCacheService(repo, { UNKNOWN_ROUTER_RELOAD_INTERVAL_MS: intervalMs, ROUTER_CACHE_REFRESH_MS: 60_000 } as WebhookIngestConfig);
  return { cache, loads: () => loads };
}

describe('RouterCacheService', () => {
  const id = new Types.ObjectId();

  it('reloads for a miss at most once per interval, however many misses', async () => {
    const { cache, loads } = cacheWith([{ _id: id, name: 'r1', allowedSourceIps: [] }], 60_000);
    await cache.reload();
    expect(cache.get(String(id))?.name).toBe('r1');
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.reloadForMiss('r')));
    expect(loads()).toBe(2);
    expect(results.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    expect(await cache.reloadForMiss('r')).toBe(false);
    expect(loads()).toBe(2);
  });

  it('coalesces reloads requested while one runs into one more', async () => {
    const { cache, loads } = cacheWith([], 0);
    await Promise.all([cache.reload(), cache.reload(), cache.reload()]);
    expect(loads()).toBe(2);
    expect(cache.ready).toBe(true);
  });

  it('keeps a router whose allowlist is all invalid locked down', async () => {
    const { cache } = cacheWith([{ _id: id, name: 'r1', allowedSourceIps: ['junk'] }], 0);
    await cache.reload();
    expect(cache.get(String(id))?.allowlist?.has('10.0.0.1')).toBe(false);
  });
});
