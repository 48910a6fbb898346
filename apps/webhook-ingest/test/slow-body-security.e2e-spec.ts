import { connect } from 'node:net';
import { WebhookKind, webhookPath } from '@isp/domain';
import { testMongoUrl, testQueuePrefix, testRedisUrl } from '../../../test/support';
import { seedRouter, send, startIngest, type Harness } from './ingest-harness';

// Timeouts compressed for the test (defaults: 30 s for the request, 10 s for the headers).
const REQUEST_TIMEOUT_MS = 1000;

/**
 * A raw connection that sends a webhook's headers at once, then its body one byte every 100 ms
 * (the whole body would take 50 s). Resolves with what the server answered and when it closed.
 */
function slowBody(url: string, headers: Record<string, string>, path: string): Promise<{ answer: string; closedAfterMs: number; bytesSent: number }> {
  const { hostname, port } = new URL(url);
  const started = Date.now();
  const socket = connect(Number(port), hostname);
  let answer = '';
  let bytesSent = 0;
  let trickle: NodeJS.Timeout | undefined;
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => (answer += d));
  socket.on('error', () => undefined);
  socket.on('connect', () => {
    const head = [`POST ${path} HTTP/1.1`, `Host: ${hostname}`, 'Content-Type: application/json', 'Content-Length: 500', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    socket.write(`${head.join('\r\n')}\r\n\r\n`);
    trickle = setInterval(() => {
      if (socket.writable) socket.write(bytesSent++ === 0 ? '{' : ' ');
    }, 100);
  });
  return new Promise((resolve) => socket.once('close', () => {
    clearInterval(trickle);
    resolve({ answer, closedAfterMs: Date.now() - started, bytesSent });
  }));
}

describe('webhook-ingest cuts off a slow-body (slowloris) request (e2e)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startIngest({
      MONGO_URL: testMongoUrl('ingest-slow-body'),
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: testQueuePrefix('ingest-slow-body'),
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HTTP_HEADERS_TIMEOUT_MS: '500',
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers 408 and closes the connection once HTTP_REQUEST_TIMEOUT_MS has passed without the whole body', async () => {
    const r = await seedRouter(h);
    const res = await slowBody(h.url, { 'x-webhook-token': r.token }, webhookPath(WebhookKind.PPP));
    expect(res.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(res.bytesSent).toBeGreaterThan(3); // it was trickling, not silent
    expect(res.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    // Cut off at the timeout plus at most one sweep of Node's connection check (a quarter of it).
    expect(res.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS * 2.5);

    // The same router's normal request still goes through.
    expect((await send(h, { kind: WebhookKind.PPP, token: r.token, json: { event: 'down', user: 'alice' } })).status).toBe(202);
  });
});
