// `npm run bench -- status`: GET /api/v1/subscribers/:id/status under load. The gateway runs
// in-process; the subscriber's router is a RouterOS simulator whose API counters prove the
// status path never talks to a router (router_calls counts connections and API commands it
// received). The old system opened a router connection per call (about a second each).
import 'reflect-metadata';
import { SecretBox } from '@isp/domain';
import { repositoriesOn, type Id } from '@isp/data';
import { SimulatedRouter } from '@isp/routeros-testing';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { BenchContext, BenchResult } from '../bench-context';
import { autocannon } from '../load-generator';
import { loadApiGatewayConfig } from '../../apps/api-gateway/src/config/api-gateway.config';
import { startGateway } from '../../apps/api-gateway/src/gateway';


const SUBSCRIBERS = 200;
const DURATION_S = Number(process.env.BENCH_STATUS_DURATION_S ?? 10);
const CONNECTIONS = 10;

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const sim = await SimulatedRouter.start({ name: 'bench-core' });
  const password = 'bench-admin-password';
  const config = loadApiGatewayConfig({
    MONGO_URL: `${ctx.mongoUrl.replace(/\/$/, '')}/bench_status_${Date.now().toString(36)}`,
    REDIS_URL: ctx.redisUrl,
    QUEUE_PREFIX: `bench-status-${Date.now().toString(36)}`,
    SECRETS_KEYS: SecretBox.generateKey('bench'),
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    ADMIN_EMAIL: 'bench@example.net',
    ADMIN_PASSWORD: password,
    BCRYPT_ROUNDS: '4',
    LOG_LEVEL: 'silent',
    BULL_BOARD: 'false',
    PORT: '0',
    HOST: '127.0.0.1',
  });
  const app = await startGateway(config);
  try {
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const login = (await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: config.ADMIN_EMAIL, password }) })).json()) as { accessToken: string };
    const headers = { authorization: `Bearer ${login.accessToken}`, 'content-type': 'application/json' };
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string };
    };

    // A building, the simulated router, a sector and station, and subscribers, half of them down
    // with an open downtime log (the status answer then carries the downtime and its cause).
    const building = await post('/api/v1/buildings', { name: 'Bench Tower', code: 'BT' });
    const router = await post('/api/v1/routers', { name: 'bench-core', host: sim.host, apiPort: sim.port, apiUser: sim.user, apiPassword: sim.password, building: building.id });
    const sector = await post('/api/v1/devices', { name: 'sector', deviceType: 'sector', ipAddress: '10.0.0.2', router: router.id });
    const station = await post('/api/v1/devices', { name: 'station', deviceType: 'station', ipAddress: '10.0.0.3', router: router.id, parent: sector.id });
    const repos = repositoriesOn(app.get<Connection>(getConnectionToken()));
    const ids: string[] = [];
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const s = await post('/api/v1/subscribers', { username: `bench${i}`, router: router.id, station: station.id });
      ids.push(s.id);
      if (i % 2) {
        const u = (await repos.subscribers.update(s.id, { isOnline: false, state: 'DOWN', stateSince: new Date() }))!;
        await repos.downtime.open({ user: u._id as Id, router: u.router, station: u.station, building: u.building, startedAt: new Date(), cause: 'self' });
      } else {
        await repos.subscribers.update(s.id, { isOnline: true, state: 'UP', stateSince: new Date(), lastOnlineAt: new Date() });
      }
    }

    const before = { ...sim.stats };
    let n = 0;
    const result = await autocannon({
      url: base,
      connections: CONNECTIONS,
      duration: DURATION_S,
      headers: { authorization: headers.authorization },
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/subscribers/${ids[n++ % ids.length]}/status` }) }],
    });
    if (result.non2xx || result.errors) throw new Error(`status bench saw ${result.non2xx} non-2xx and ${result.errors} errors`);
    const routerCalls = sim.stats.connectionsAccepted - before.connectionsAccepted + (sim.stats.commands - before.commands);
    return {
      figures: { p50_ms: result.latency.p50, p99_ms: result.latency.p99, req_per_s: result.requests.average, router_calls: routerCalls },
      targets: { p50_ms: '< 100 (old system: ~1000, a router connection per call)', p99_ms: '< 500', req_per_s: '> 100 on 2 shared cores', router_calls: '0' },
    };
  } finally {
    await app.close();
    await sim.stop();
  }
}
