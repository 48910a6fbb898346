// Issue 15 item 1: a router's stored API password is write-only, so it must not follow a router
// re-pointed elsewhere. Changing where or as whom the system logs in (host, apiPort, tls,
// tlsCertificate, apiUser) needs apiPassword in the same request (422 naming it otherwise).
// Provisioning runs for real and dials what the record says; two TCP listeners stand in for the
// router's old and new API port and record every byte they receive.
import type { INestApplication } from '@nestjs/common';
import { SecretBox } from '@isp/domain';
import { bootstrapApp } from '@isp/platform';
import { createServer, type Server } from 'node:net';
import { waitFor } from '../../../../test/support';
import { AppModule as ProvisioningModule } from '../../../provisioning/src/app.module';
import { loadProvisioningConfig } from '../../../provisioning/src/config/provisioning.config';
import { startHarness, type Harness } from '../gateway-harness';

interface Listener {
  port: number;
  received(): string;
  close(): Promise<void>;
}

/** A TCP port that never answers and keeps what it is sent (RouterOS API words are plain bytes). */
async function recordingPort(): Promise<Listener> {
  const chunks: Buffer[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('data', (d: Buffer) => chunks.push(d));
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    received: () => Buffer.concat(chunks).toString('latin1'),
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

describe('a router re-pointed without its password (issue 15 item 1)', () => {
  let h: Harness;
  let provisioning: INestApplication;
  let oldPort: Listener;
  let newPort: Listener;

  beforeAll(async () => {
    oldPort = await recordingPort();
    newPort = await recordingPort();
    const SECRETS_KEYS = SecretBox.generateKey('rp1');
    h = await startHarness('security-router-password', { SECRETS_KEYS });
    const config = loadProvisioningConfig({
      MONGO_URL: h.config.MONGO_URL,
      REDIS_URL: h.config.REDIS_URL,
      QUEUE_PREFIX: h.config.QUEUE_PREFIX,
      SECRETS_KEYS,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      SHUTDOWN_GRACE_MS: '500',
      RECONCILE_SCHEDULER: 'false',
      ROUTER_CALL_TIMEOUT_MS: '1000',
      ROUTER_CONNECT_TIMEOUT_MS: '1000',
      ROUTER_BREAKER_COOLDOWN_MS: '200',
    });
    provisioning = await bootstrapApp(ProvisioningModule.forRoot(config), { config, broadcasts: true });
  });

  afterAll(async () => {
    await provisioning?.close();
    await h?.close();
    await oldPort?.close();
    await newPort?.close();
  });

  it('refuses the move (422) and the stored password never reaches the new port; with a password the move goes through', async () => {
    const token = h.tokens.netadmin;
    const b = await h.request('POST', '/api/v1/buildings', { token, body: { name: 'Torre', code: 'T1' } });
    const r = await h.request('POST', '/api/v1/routers', {
      token,
      body: { name: 'core-t1', host: '127.0.0.1', apiPort: oldPort.port, apiUser: 'api', apiPassword: 'original-secret-A1', building: b.body.id },
    });
    expect(r.status).toBe(201);
    const router = `/api/v1/routers/${r.body.id}`;
    // Provisioning dials the router it was given, with its password: the listeners do record logins.
    await waitFor(() => oldPort.received().includes('original-secret-A1'), { timeoutMs: 15000, message: 'provisioning logs in to the original port' });

    for (const body of [{ apiPort: newPort.port }, { host: 'localhost' }, { tls: true }, { apiUser: 'admin' }, { apiPort: newPort.port, name: 'core-t1b' }]) {
      const moved = await h.request('PATCH', router, { token, body });
      expect(moved.status).toBe(422);
      expect(moved.body.message).toMatch(/^apiPassword is required when changing /);
      expect(moved.body.message).toContain(Object.keys(body)[0]);
    }
    const unchanged = await h.request('GET', router, { token });
    expect(unchanged.body).toMatchObject({ name: 'core-t1', host: '127.0.0.1', apiPort: oldPort.port, apiUser: 'api', tls: false });
    // Sending a connection field with its current value changes nothing and needs no password.
    expect((await h.request('PATCH', router, { token, body: { apiPort: oldPort.port, rosVersion: '7.18' } })).status).toBe(200);

    const moved = await h.request('PATCH', router, { token, body: { apiPort: newPort.port, apiPassword: 'fresh-secret-B2' } });
    expect(moved.status).toBe(200);
    await waitFor(() => newPort.received().includes('fresh-secret-B2'), { timeoutMs: 15000, message: 'provisioning logs in to the new port with the new password' });
    expect(newPort.received()).not.toContain('original-secret-A1');
  });
});
