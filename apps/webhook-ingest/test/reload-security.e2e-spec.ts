import { issueWebhookToken, WebhookKind } from '@isp/domain';
import { testMongoUrl, testQueuePrefix, testRedisUrl } from '../../../test/support';
import { seedRouter, send, startIngest, type Harness } from './ingest-harness';

/**
 * Issue 15, item 9: a forged token naming a real router (or an unknown one) must not reload the
 * router cache on every request. The reload rate limit is off here (interval 0), so only the
 * remembered negative answer can keep the count down.
 */
describe('webhook-ingest: forged tokens do not reload the router cache (security)', () => {
  let h: Harness;
  let loads: jest.SpyInstance;

  beforeAll(async () => {
    h = await startIngest({
      MONGO_URL: testMongoUrl('ingest-reload-security'),
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: testQueuePrefix('ingest-reload-security'),
      UNKNOWN_ROUTER_RELOAD_INTERVAL_MS: '0',
    });
    // Counts full reloads of the cache; the real repository still answers.
    loads = jest.spyOn(h.routers, 'findAuthView');
  });
  afterAll(() => h?.close());

  beforeEach(() => loads.mockClear());

  const ppp = (token: string) => send(h, { kind: WebhookKind.PPP, token, json: { event: 'up', user: 'mallory' } });

  it('forged secrets for a real router id: 401 each, one reload in all, the real token still works', async () => {
    const r = await seedRouter(h);
    loads.mockClear();
    for (let i = 0; i < 6; i++) expect((await ppp(issueWebhookToken(r.id).token)).status).toBe(401);
    expect(loads).toHaveBeenCalledTimes(1);
    expect((await ppp(r.token)).status).toBe(202);
    expect(loads).toHaveBeenCalledTimes(1);
  });

  it('an unknown router id, again and again: one reload', async () => {
    const forged = issueWebhookToken('0123456789abcdef01234567').token;
    for (let i = 0; i < 6; i++) expect((await ppp(forged)).status).toBe(401);
    expect(loads).toHaveBeenCalledTimes(1);
  });
});
