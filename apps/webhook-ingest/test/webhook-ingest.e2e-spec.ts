import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { hashSecret, issueWebhookToken, JobName, parseWebhookToken, QueueName, SecretBox, WebhookKind } from '@isp/domain';
import { BroadcastPublisher, JobProducer, redisOptionsFromUrl, WebhookTokenIssuer } from '@isp/platform';
import { testMongoUrl, testQueuePrefix, testRedisUrl, waitFor } from '../../../test/support';
import { RouterCacheService } from '../src/routers/router-cache.service';
import { routerNow, seedRouter, send, startIngest, statusJobs, type Harness } from './ingest-harness';

describe('webhook-ingest (e2e)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startIngest(
      {
        MONGO_URL: testMongoUrl('webhook-ingest'),
        REDIS_URL: testRedisUrl(),
        QUEUE_PREFIX: testQueuePrefix('webhook-ingest'),
        TRUSTED_PROXIES: '127.0.0.9',
        RATE_LIMIT_BURST: '40',
        RATE_LIMIT_PER_SECOND: '1',
        UNKNOWN_ROUTER_RELOAD_INTERVAL_MS: '0',
      },
      { broadcasts: true },
    );
  });
  afterAll(() => h?.close());

  describe('accepted events become one status-event job each', () => {
    it('PPP as JSON: subject, event, router time and details', async () => {
      const r = await seedRouter(h);
      const ts = routerNow();
      const res = await send(h, {
        kind: WebhookKind.PPP,
        token: r.token,
        json: { event: 'down', user: 'alice', address: '100.64.0.7', callerId: 'aa-bb-cc-00-11-22', iface: '<pppoe-alice>', ts },
      });
      expect(res.status).toBe(202);
      const [job] = await statusJobs(h, r.id);
      expect(job.data).toMatchObject({
        routerId: r.id,
        source: 'ppp-status',
        subject: { kind: 'ppp', username: 'alice' },
        event: 'down',
        at: new Date(ts.replace(' ', 'T') + 'Z').toISOString(),
        routerTime: ts,
        details: { address: '100.64.0.7', callerId: 'AA:BB:CC:00:11:22', iface: '<pppoe-alice>' },
      });
    });

    it('DHCP as form fields: MAC normalised, bound=1 is up, empty optional fields dropped', async () => {
      const r = await seedRouter(h);
      const res = await send(h, { kind: WebhookKind.DHCP, token: r.token, form: { bound: '1', mac: 'aabb.ccdd.eeff', ip: '10.20.30.40', server: 'dhcp1', hostname: '', ts: 'nov/28/2026 15:30:01' } });
      expect(res.status).toBe(202);
      const [job] = await statusJobs(h, r.id);
      expect(job.data.subject).toEqual({ kind: 'dhcp', mac: 'AA:BB:CC:DD:EE:FF', ip: '10.20.30.40' });
      expect(job.data.event).toBe('up');
      expect(job.data.details).toEqual({ server: 'dhcp1' });
      // A router clock far from ours (or in another zone) is kept as text, not trusted as the time.
      expect(job.data.routerTime).toBe('nov/28/2026 15:30:01');
      expect(Math.abs(Date.parse(job.data.at) - Date.parse(job.data.receivedAt))).toBe(0);
    });

    it('Netwatch without a Content-Type (what /tool fetch may send) and a DHCP release', async () => {
      const r = await seedRouter(h);
      expect((await send(h, { kind: WebhookKind.NETWATCH, token: r.token, raw: 'host=192.168.88.2&status=down&name=sector-1' })).status).toBe(202);
      expect((await send(h, { kind: WebhookKind.DHCP, token: r.token, raw: '{"bound":"0","mac":"AA:BB:CC:DD:EE:01","ip":"10.0.0.9"}' })).status).toBe(202);
      const jobs = await statusJobs(h, r.id);
      expect(jobs.map((j) => [j.data.subject, j.data.event])).toEqual(
        expect.arrayContaining([
          [{ kind: 'netwatch', host: '192.168.88.2' }, 'down'],
          [{ kind: 'dhcp', mac: 'AA:BB:CC:DD:EE:01', ip: '10.0.0.9' }, 'down'],
        ]),
      );
      expect(jobs).toHaveLength(2);
    });

    it('a DHCP hostname with control characters is cleaned, not a reason to lose the event', async () => {
      const r = await seedRouter(h);
      const res = await send(h, { kind: WebhookKind.DHCP, token: r.token, json: { bound: '1', mac: '00:11:22:33:44:55', ip: '10.0.0.5', hostname: 'evil\u0000\r\nhost\u001b[31m' } });
      expect(res.status).toBe(202);
      const [job] = await statusJobs(h, r.id);
      expect(job.data.details?.hostname).toBe('evilhost[31m');
    });

    it('unknown fields are dropped (a newer script must not lose events)', async () => {
      const r = await seedRouter(h);
      expect((await send(h, { kind: WebhookKind.NETWATCH, token: r.token, json: { host: '10.1.1.1', status: 'up', extra: 'x' } })).status).toBe(202);
      const [job] = await statusJobs(h, r.id);
      expect(job.data).not.toHaveProperty('extra');
    });
  });

  describe('hostile usernames are data, never a 500', () => {
    const names = [
      `O'Brien`,
      `"; DROP TABLE users; --`,
      `' OR '1'='1`,
      '{"$gt":""}',
      '$(reboot)',
      '[:put "x"]; /system reboot',
      '<script>alert(1)</script>',
      'back\\slash',
      'ユーザー😀',
      'a:b.c/d',
      ' spaced ',
    ];
    it.each(names)('accepts %p exactly as sent (JSON and form)', async (user) => {
      const r = await seedRouter(h);
      expect((await send(h, { kind: WebhookKind.PPP, token: r.token, json: { event: 'up', user, ts: routerNow() } })).status).toBe(202);
      expect((await send(h, { kind: WebhookKind.PPP, token: r.token, form: { event: 'down', user } })).status).toBe(202);
      const jobs = await statusJobs(h, r.id);
      expect(jobs.map((j) => (j.data.subject as { username: string }).username)).toEqual([user, user]);
    });

    it.each([
      ['control characters', { event: 'up', user: 'bob\u0000' }],
      ['a newline', { event: 'up', user: 'bob\nINFO fake log line' }],
      ['an object', { event: 'up', user: { $gt: '' } }],
      ['a number', { event: 'up', user: 42 }],
      ['an array', { event: 'up', user: ['a', 'b'] }],
      ['nothing', { event: 'up', user: '' }],
      ['129 characters', { event: 'up', user: 'u'.repeat(129) }],
      ['a lone surrogate', { event: 'up', user: 'bad\ud800' }],
    ])('refuses a username with %s (400 naming the field)', async (_what, json) => {
      const r = await seedRouter(h);
      const res = await send(h, { kind: WebhookKind.PPP, token: r.token, json });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ reason: 'validation', field: 'user' });
      expect(await statusJobs(h, r.id)).toHaveLength(0);
    });

    it('form fields repeated or bracketed are refused, not turned into objects', async () => {
      const r = await seedRouter(h);
      expect((await send(h, { kind: WebhookKind.PPP, token: r.token, raw: 'event=up&user=a&user=b', contentType: 'application/x-www-form-urlencoded' })).body).toMatchObject({ field: 'user' });
      const bracket = await send(h, { kind: WebhookKind.PPP, token: r.token, raw: 'event=up&user[$gt]=', contentType: 'application/x-www-form-urlencoded' });
      expect(bracket.status).toBe(400);
      expect(await statusJobs(h, r.id)).toHaveLength(0);
    });
  });

  describe('every rejection is a JSON error and creates no job', () => {
    let r: { id: string; token: string };
    beforeAll(async () => {
      r = await seedRouter(h);
    });
    afterEach(async () => {
      expect(await statusJobs(h, r.id)).toHaveLength(0);
    });
    const ok = { event: 'up', user: 'carol' };

    it('401 without a token', async () => {
      const res = await send(h, { kind: WebhookKind.PPP, json: ok });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, reason: 'missing_token', message: expect.stringContaining('X-Webhook-Token') });
      expect(res.body.requestId).toEqual(expect.any(String));
    });

    it('401 for a malformed token, an unknown router and a wrong secret (same answer)', async () => {
      const unknown = issueWebhookToken('0123456789abcdef01234567').token;
      const wrongSecret = issueWebhookToken(r.id).token;
      for (const token of ['nonsense', 'rt_zz_zz', unknown, wrongSecret, `${r.token}x`]) {
        const res = await send(h, { kind: WebhookKind.PPP, token, json: ok });
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ reason: 'invalid_token', message: 'unknown or invalid webhook token' });
      }
    });

    it('404 for an unknown event kind', async () => {
      const res = await send(h, { kind: 'bgp-peer', token: r.token, json: ok });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ reason: 'not_found' });
    });

    it.each([
      ['event', WebhookKind.PPP, { event: 'sideways', user: 'x' }],
      ['event', WebhookKind.PPP, { user: 'x' }],
      ['address', WebhookKind.PPP, { event: 'up', user: 'x', address: '300.1.1.1' }],
      ['ts', WebhookKind.PPP, { event: 'up', user: 'x', ts: 'yesterday' }],
      ['ts', WebhookKind.PPP, { event: 'up', user: 'x', ts: '2026-02-31 10:00:00' }],
      ['mac', WebhookKind.DHCP, { bound: '1', mac: 'zz:bb:cc:dd:ee:ff', ip: '10.0.0.1' }],
      ['mac', WebhookKind.DHCP, { bound: '1', mac: 'aa:bb:cc:dd:ee', ip: '10.0.0.1' }],
      ['ip', WebhookKind.DHCP, { bound: '1', mac: 'aa:bb:cc:dd:ee:ff', ip: '10.0.0' }],
      ['ip', WebhookKind.DHCP, { bound: '1', mac: 'aa:bb:cc:dd:ee:ff', ip: '::1' }],
      ['bound', WebhookKind.DHCP, { bound: 'yes', mac: 'aa:bb:cc:dd:ee:ff', ip: '10.0.0.1' }],
      ['host', WebhookKind.NETWATCH, { host: 'example.com', status: 'up' }],
      ['status', WebhookKind.NETWATCH, { host: '10.0.0.1', status: 'flapping' }],
      ['name', WebhookKind.NETWATCH, { host: '10.0.0.1', status: 'up', name: 'n'.repeat(5000) }],
    ])('400 naming %s', async (field, kind, json) => {
      const res = await send(h, { kind, token: r.token, json });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ reason: 'validation', field, message: expect.stringContaining(field) });
    });

    it.each([
      ['broken JSON', '{"event":"up","user":', 'application/json'],
      ['a JSON array', '[1,2]', 'application/json'],
      ['a JSON string', '"up"', 'application/json'],
      ['JSON null', 'null', 'application/json'],
      ['prototype poisoning', '{"__proto__":{"x":1},"event":"up","user":"a"}', 'application/json'],
      ['plain text', 'event=up', 'text/plain'],
      ['an empty JSON body', '', 'application/json'],
    ])('400 for %s', async (_what, raw, contentType) => {
      const res = await send(h, { kind: WebhookKind.PPP, token: r.token, raw, contentType });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, message: expect.any(String) });
    });

    it('413 above the body limit', async () => {
      const res = await send(h, { kind: WebhookKind.PPP, token: r.token, json: { event: 'up', user: 'x', iface: 'y'.repeat(20 * 1024) } });
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ statusCode: 413, reason: 'body_too_large' });
    });

    it('415 for a content type nobody sends', async () => {
      const res = await send(h, { kind: WebhookKind.PPP, token: r.token, raw: '<x/>', contentType: 'application/xml' });
      expect([400, 415]).toContain(res.status);
      expect(res.body.statusCode).toBe(res.status);
    });
  });

  describe('source addresses', () => {
    let r: { id: string; token: string };
    const body = { host: '10.0.0.1', status: 'up' };
    beforeAll(async () => {
      r = await seedRouter(h, { allowedSourceIps: ['127.0.2.0/24', '127.0.0.10', 'not-an-ip'] });
    });

    it('allows addresses in the list (CIDR or exact) and refuses others with 403', async () => {
      expect((await send(h, { kind: WebhookKind.NETWATCH, token: r.token, json: body, from: '127.0.2.77' })).status).toBe(202);
      expect((await send(h, { kind: WebhookKind.NETWATCH, token: r.token, json: { ...body, status: 'down' }, from: '127.0.0.10' })).status).toBe(202);
      const res = await send(h, { kind: WebhookKind.NETWATCH, token: r.token, json: body, from: '127.0.0.11' });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ reason: 'source_not_allowed', message: expect.stringContaining('127.0.0.11') });
      expect(await statusJobs(h, r.id)).toHaveLength(2);
    });

    it('believes X-Forwarded-For only from a trusted proxy', async () => {
      const forged = await send(h, { kind: WebhookKind.NETWATCH, token: r.token, json: body, from: '127.0.0.11', headers: { 'x-forwarded-for': '127.0.2.1' } });
      expect(forged.status).toBe(403);
      const proxied = await send(h, { kind: WebhookKind.NETWATCH, token: r.token, json: { ...body, name: 'via-proxy' }, from: '127.0.0.9', headers: { 'x-forwarded-for': '127.0.2.1' } });
      expect(proxied.status).toBe(202);
      const proxiedBad = await send(h, { kind: WebhookKind.NETWATCH, token: r.token, json: body, from: '127.0.0.9', headers: { 'x-forwarded-for': '203.0.113.5' } });
      expect(proxiedBad.status).toBe(403);
    });
  });

  it('dedupe: the same event repeated is one job; a new router time is a new job', async () => {
    const r = await seedRouter(h);
    const ts = routerNow();
    const json = { event: 'down', user: 'dave', ts };
    for (let i = 0; i < 3; i++) expect((await send(h, { kind: WebhookKind.PPP, token: r.token, json })).status).toBe(202);
    expect(await statusJobs(h, r.id)).toHaveLength(1);
    // a quick flap: up, then down again a second later, keeps both
    expect((await send(h, { kind: WebhookKind.PPP, token: r.token, json: { ...json, event: 'up' } })).status).toBe(202);
    expect((await send(h, { kind: WebhookKind.PPP, token: r.token, json: { ...json, ts: routerNow(1000) } })).status).toBe(202);
    expect(await statusJobs(h, r.id)).toHaveLength(3);
  });

  it('dedupe never drops a real change: up, down, up within one router-clock second are three jobs', async () => {
    const r = await seedRouter(h);
    const ts = routerNow();
    for (const event of ['up', 'down', 'up', 'up']) {
      expect((await send(h, { kind: WebhookKind.PPP, token: r.token, json: { event, user: 'erin', ts } })).status).toBe(202);
    }
    const jobs = (await statusJobs(h, r.id)).sort((a, b) => Number(a.id) - Number(b.id));
    expect(jobs.map((j) => j.data.event)).toEqual(['up', 'down', 'up']);
  });

  it('429 once a router exceeds its rate, with Retry-After; other routers unaffected', async () => {
    const r = await seedRouter(h);
    const other = await seedRouter(h);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => send(h, { kind: WebhookKind.NETWATCH, token: r.token, json: { host: `10.0.${i}.1`, status: 'up' } })),
    );
    const limited = results.filter((x) => x.status === 429);
    expect(results.filter((x) => x.status === 202)).toHaveLength(40);
    expect(limited).toHaveLength(10);
    expect(limited[0].body).toMatchObject({ reason: 'rate_limited' });
    expect(Number(limited[0].headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(await statusJobs(h, r.id)).toHaveLength(40);
    expect((await send(h, { kind: WebhookKind.NETWATCH, token: other.token, json: { host: '10.0.0.1', status: 'up' } })).status).toBe(202);
  });

  it('a router created after start works at once (one reload on the unknown id)', async () => {
    const created = await h.routers.create({ name: `late-${Date.now()}`, host: '10.0.0.2', apiUser: 'api', apiPassword: 'x' });
    const { token, hash } = issueWebhookToken(String(created._id));
    await h.routers.setWebhookTokenHash(created._id, hash);
    expect((await send(h, { kind: WebhookKind.PPP, token, json: { event: 'up', user: 'erin' } })).status).toBe(202);
  });

  describe('token management', () => {
    let redis: Redis;
    let sync: Queue;
    let tokens: WebhookTokenIssuer;
    const box = () => new SecretBox(h.config.SECRETS_KEYS);
    beforeAll(() => {
      redis = new Redis(h.config.REDIS_URL);
      sync = new Queue(QueueName.SYNC, { connection: redisOptionsFromUrl(h.config.REDIS_URL), prefix: h.config.QUEUE_PREFIX });
      tokens = new WebhookTokenIssuer(h.routers, box(), new BroadcastPublisher(redis, h.config.QUEUE_PREFIX), JobProducer.forQueues([sync]));
    });
    afterAll(async () => {
      await redis.quit();
      await sync.close();
    });

    it('rotating a token reaches the cache by broadcast: the new one works, the old one stops', async () => {
      const r = await seedRouter(h);
      const cache = h.app.get(RouterCacheService);
      const issued = await tokens.issueFor((await h.routers.findById(r.id))!.name);
      expect(issued.token).toMatch(new RegExp(`^rt_${r.id}_`));
      // No request in between: only the broadcast can have updated the cache.
      const expected = hashSecret(parseWebhookToken(issued.token)!.secret);
      await waitFor(() => cache.get(r.id)?.tokenHash === expected, { message: 'cache updated by the ROUTER_CHANGED broadcast' });
      await waitFor(async () => (await send(h, { kind: WebhookKind.PPP, token: issued.token, json: { event: 'up', user: 'fay' } })).status === 202, { message: 'new token accepted' });
      expect((await send(h, { kind: WebhookKind.PPP, token: r.token, json: { event: 'down', user: 'fay' } })).status).toBe(401);
      const stored = await h.routers.findById(r.id);
      expect(stored?.webhookTokenHash).toHaveLength(64);
      // the token is kept only encrypted (provisioning writes it into the scripts)...
      expect(JSON.stringify(stored)).not.toContain(parseWebhookToken(issued.token)!.secret);
      expect(box().decrypt(stored!.webhookTokenEncrypted!, 'router.webhookToken', r.id)).toBe(issued.token);
      // ...and provisioning is asked to re-install the scripts with it
      const syncJobs = await sync.getJobs(['waiting', 'prioritized']);
      expect(syncJobs.map((j) => [j.name, j.data])).toContainEqual([JobName.SYNC_ROUTER, { routerId: r.id }]);
    });

    it('an unknown router is a NotFoundError', async () => {
      await expect(tokens.issue('0123456789abcdef01234567')).rejects.toThrow(/not found/);
      await expect(tokens.issueFor('no-such-router')).rejects.toThrow(/not found/);
    });
  });

  it('/metrics: accepted, rejected by reason, enqueue latency, queue depth', async () => {
    const res = await fetch(`${h.url}/metrics`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toMatch(/webhook_events_accepted_total\{kind="ppp-status"\} \d+/);
    expect(text).toMatch(/webhook_events_rejected_total\{reason="invalid_token"\} \d+/);
    expect(text).toMatch(/webhook_events_rejected_total\{reason="validation"\} \d+/);
    expect(text).toMatch(/webhook_enqueue_duration_seconds_bucket\{le="0.1"\} \d+/);
    expect(text).toMatch(/webhook_queue_depth\{state="wait"\} [1-9]\d*/);
  });

  it('over real HTTP: JSON body, request id echoed in errors', async () => {
    const r = await seedRouter(h);
    const ok = await fetch(`${h.url}/api/webhooks/mikrotik/ppp-status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-webhook-token': r.token },
      body: JSON.stringify({ event: 'up', user: 'gus' }),
    });
    expect(ok.status).toBe(202);
    const bad = await fetch(`${h.url}/api/webhooks/mikrotik/ppp-status`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'req-123' }, body: '{}' });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ reason: 'missing_token', requestId: 'req-123' });
  });
});
