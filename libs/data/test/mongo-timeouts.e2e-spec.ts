import { createServer, connect, type Server, type Socket } from 'node:net';
import mongoose from 'mongoose';
import { loadConfig, MongoEnv, mongoOptions } from '@isp/platform';
import { testMongoUrl } from '../../../test/support';

const { freePort } = require('../../../tools/infra') as { freePort: () => Promise<number> };

// Timeouts compressed for the test; the defaults are in MongoEnv.
const env = loadConfig(MongoEnv, { MONGO_SERVER_SELECTION_TIMEOUT_MS: '500', MONGO_CONNECT_TIMEOUT_MS: '500', MONGO_SOCKET_TIMEOUT_MS: '1000' });

/** A TCP proxy to the real store that can go silent (a half-open peer: connected, never answering). */
async function silenceableProxy(target: URL): Promise<{ url: string; silence(): void; close(): Promise<void> }> {
  let silent = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
    }
    client.on('data', (d) => silent || upstream.write(d));
    upstream.on('data', (d) => silent || client.write(d));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = new URL(target.toString());
  url.port = String((server.address() as { port: number }).port);
  url.searchParams.set('directConnection', 'true');
  return {
    url: url.toString(),
    silence: () => (silent = true),
    close: () => new Promise((r) => {
      sockets.forEach((s) => s.destroy());
      server.close(() => r());
    }),
  };
}

async function elapsed<T>(work: Promise<T>): Promise<{ ms: number; error: unknown }> {
  const started = Date.now();
  const error = await work.then(() => null, (e: unknown) => e);
  return { ms: Date.now() - started, error };
}

describe('MongoDB calls fail within the configured time instead of waiting for ever', () => {
  it('an unreachable server: the connection fails after MONGO_SERVER_SELECTION_TIMEOUT_MS', async () => {
    const port = await freePort(); // nothing listens there
    const conn = mongoose.createConnection(`mongodb://127.0.0.1:${port}/isp?directConnection=true`, mongoOptions(env));
    const { ms, error } = await elapsed(conn.asPromise());
    await conn.close().catch(() => undefined);
    expect((error as Error).name).toBe('MongooseServerSelectionError');
    expect(ms).toBeGreaterThanOrEqual(400);
    expect(ms).toBeLessThan(3000);
  });

  it('a server that stops answering mid-session: the query fails after MONGO_SOCKET_TIMEOUT_MS', async () => {
    const proxy = await silenceableProxy(new URL(testMongoUrl('mongo-timeouts')));
    const conn = await mongoose.createConnection(proxy.url, mongoOptions(env)).asPromise();
    try {
      const coll = conn.collection('probe');
      await coll.insertOne({ at: new Date() });
      proxy.silence();
      const { ms, error } = await elapsed(coll.findOne({}));
      expect(String((error as Error).message)).toMatch(/timed out/i);
      expect(ms).toBeGreaterThanOrEqual(900);
      expect(ms).toBeLessThan(4000);
    } finally {
      await conn.close(true).catch(() => undefined);
      await proxy.close();
    }
  });
});
