// Two reads the operator console is built on, over HTTP against the real gateway: the subscriber
// lookup (username prefix, MAC in any notation, address) and the streamed Live Check, hop by hop
// over server-sent events, opened with a single-use feed ticket. A BullMQ worker stands in for
// diagnostics here; the real runner against the simulator is driven by the console's browser test.
import { getConnectionToken } from '@nestjs/mongoose';
import { QueueName, type LiveCheckJob, type LiveCheckResult } from '@isp/domain';
import { redisOptionsFromUrl } from '@isp/platform';
import { repositoriesOn } from '@isp/data';
import { Worker } from 'bullmq';
import type { Connection } from 'mongoose';
import { request as httpRequest } from 'node:http';
import { testRedisUrl, waitFor } from '../../../test/support';
import { startHarness, type Harness, type Json } from './gateway-harness';

describe('api-gateway: subscriber lookup and streamed Live Check', () => {
  let h: Harness;
  const ids: Record<string, string> = {};
  const as = (role: keyof Harness['tokens']) => h.tokens[role];

  beforeAll(async () => {
    h = await startHarness('gateway-lookup-stream', { LIVE_CHECK_TIMEOUT_MS: '1500' });
    const ok = async (url: string, body: unknown) => {
      const r = await h.request('POST', url, { token: as('netadmin'), body });
      if (r.status !== 201) throw new Error(`POST ${url} -> ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.id as string;
    };
    ids.building = await ok('/api/v1/buildings', { name: 'Torre Norte', code: 'TN' });
    // No provisioning runs here: the router is never dialled.
    ids.router = await ok('/api/v1/routers', { name: 'core-tn', host: '127.0.0.1', apiPort: 8728, apiUser: 'api', apiPassword: 'router-pass', building: ids.building, role: 'core' });
    ids.sector = await ok('/api/v1/devices', { name: 'sector-1', deviceType: 'sector', ipAddress: '10.10.0.2', router: ids.router });
    ids.station = await ok('/api/v1/devices', { name: 'station-1', deviceType: 'station', ipAddress: '10.10.0.3', router: ids.router, parent: ids.sector });
    ids.subscriber = await ok('/api/v1/subscribers', { username: 'juan.perez', password: 'pppoe-pass', router: ids.router, station: ids.station });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('looks subscribers up by username prefix, MAC in any notation (configured or caller-id) or address (static or current); 400 naming q on garbage', async () => {
    const maria = await h.request('POST', '/api/v1/subscribers', {
      token: as('netadmin'),
      body: { username: 'maria.lopez', serviceType: 'static', staticIp: '10.20.0.7', macAddress: 'aa-bb-cc-00-11-2f', router: ids.router, station: ids.station },
    });
    expect(maria.status).toBe(201);
    const repos = repositoriesOn(h.app.get<Connection>(getConnectionToken()));
    await repos.subscribers.update(ids.subscriber, { currentAddress: '10.30.0.9', callerId: 'DE:AD:BE:EF:00:01' });
    const lookup = async (q: string) => {
      const res = await h.request('GET', `/api/v1/subscribers?q=${encodeURIComponent(q)}`, { token: as('support') });
      expect(res.status).toBe(200);
      return (res.body.items as { username: string }[]).map((u) => u.username).sort();
    };
    expect(await lookup('juan')).toEqual(['juan.perez']);
    expect(await lookup('maria.l')).toEqual(['maria.lopez']);
    for (const mac of ['aa:bb:cc:00:11:2f', 'AA-BB-CC-00-11-2F', 'aabb.cc00.112f', 'aabbcc00112f']) expect(await lookup(mac)).toEqual(['maria.lopez']);
    expect(await lookup('de:ad:be:ef:00:01')).toEqual(['juan.perez']);
    expect(await lookup('10.20.0.7')).toEqual(['maria.lopez']);
    expect(await lookup('10.30.0.9')).toEqual(['juan.perez']);
    expect(await lookup('10.30.0.8')).toEqual([]);
    expect(await lookup('zz')).toEqual([]);
    // Combines with the other filters.
    expect((await h.request('GET', `/api/v1/subscribers?q=maria&isSuspended=true`, { token: as('support') })).body.items).toEqual([]);
    for (const bad of ['a b', '<script>', 'aa:bb:cc', '']) {
      const res = await h.request('GET', `/api/v1/subscribers?q=${encodeURIComponent(bad)}`, { token: as('support') });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^q must be a username prefix, a MAC address or an IPv4 address/);
    }
  });

  it('streams Live Check hop by hop: the first hop arrives while the check is still running; then the result, or failed 504 when diagnostics does not answer', async () => {
    // Stands in for diagnostics: publishes the first hop, then holds the check until the test has
    // seen that hop on the stream, then the rest.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let finished = false;
    const hops = [
      { kind: 'router', id: ids.router, name: 'core-tn', state: 'UP', rttMs: 1 },
      { kind: 'device', id: ids.sector, name: 'sector-1', state: 'UP', rttMs: 2 },
      { kind: 'device', id: ids.station, name: 'station-1', state: 'DOWN' },
    ] as LiveCheckResult['hops'];
    const worker = new Worker<LiveCheckJob, LiveCheckResult>(
      QueueName.LIVE_CHECK,
      async (job) => {
        await job.updateProgress({ index: 0, total: 3, hop: hops[0] });
        await held;
        await job.updateProgress({ index: 2, total: 3, hop: hops[2] });
        await job.updateProgress({ index: 1, total: 3, hop: hops[1] });
        finished = true;
        return { target: job.data.target, hops, summary: 'core-tn [UP] -> sector-1 [UP] -> station-1 [DOWN]', checkedAt: new Date().toISOString(), durationMs: 3 };
      },
      { connection: redisOptionsFromUrl(testRedisUrl()), prefix: h.config.QUEUE_PREFIX },
    );
    const open = async (path: string) => {
      const ticket = (await h.request('POST', '/api/v1/feed/ticket', { token: as('support') })).body.ticket as string;
      const events: { event: string; data: Json }[] = [];
      let buffer = '';
      let ended = false;
      const req = httpRequest(new URL(`${h.baseUrl}${path}?ticket=${ticket}`), { headers: { accept: 'text/event-stream' } });
      const status = await new Promise<number>((resolve, reject) => {
        req.on('response', (res) => {
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffer += chunk;
            let cut: number;
            while ((cut = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, cut);
              buffer = buffer.slice(cut + 2);
              const data = /^data: ?(.*)$/m.exec(block)?.[1];
              if (data) events.push({ event: /^event: ?(.*)$/m.exec(block)?.[1] ?? 'message', data: JSON.parse(data) });
            }
          });
          res.on('end', () => (ended = true));
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      return { status, events, ended: () => ended, close: () => req.destroy() };
    };
    try {
      const s = await open(`/api/v1/live-check/subscriber/${ids.subscriber}/stream`);
      try {
        expect(s.status).toBe(200);
        await waitFor(() => s.events.some((e) => e.event === 'hop'), { message: 'first hop on the stream' });
        expect(finished).toBe(false);
        expect(s.events.map((e) => e.event)).toEqual(['started', 'hop']);
        expect(s.events[0].data).toMatchObject({ checkId: expect.stringMatching(/^lc\./), target: { kind: 'subscriber', id: ids.subscriber } });
        expect(s.events[1].data).toEqual({ index: 0, total: 3, hop: hops[0] });
        release();
        await waitFor(() => s.ended(), { message: 'stream ends after the result' });
        expect(s.events.map((e) => e.event)).toEqual(['started', 'hop', 'hop', 'hop', 'result']);
        expect(s.events.slice(1, 4).map((e) => e.data.index)).toEqual([0, 2, 1]);
        expect(s.events[4].data.hops.map((x: { state: string }) => x.state)).toEqual(['UP', 'UP', 'DOWN']);
      } finally {
        s.close();
      }
    } finally {
      release();
      await worker.close();
    }
    // Nobody answers: the stream says so with the plain endpoint's status, and ends.
    const late = await open(`/api/v1/live-check/device/${ids.station}/stream`);
    try {
      await waitFor(() => late.ended(), { timeoutMs: 5000, message: 'timed-out stream ends' });
      expect(late.events.map((e) => e.event)).toEqual(['started', 'failed']);
      expect(late.events[1].data).toMatchObject({ status: 504, message: expect.stringMatching(/did not answer/) });
    } finally {
      late.close();
    }
    // An unknown target is a plain 404 before any event; a stream needs a token or a ticket.
    const missing = await h.request('GET', '/api/v1/live-check/router/000000000000000000000000/stream', { token: as('support') });
    expect(missing.status).toBe(404);
    expect((await h.request('GET', `/api/v1/live-check/subscriber/${ids.subscriber}/stream`)).status).toBe(401);
  });
});
