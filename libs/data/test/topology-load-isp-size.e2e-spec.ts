import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { modelsOn } from '@isp/data';
import { SecretBox } from '@isp/domain';
import { testMongoUrl } from '../../../test/support';

// An ISP's size, the shape `npm start -- 50` loads: 50 routers, each with a backhaul, 2 sectors,
// 6 stations (450 devices) and 24 subscribers (1,200). Before bulk writes were chunked the
// loader's parent pass hung the embedded store for good from 12 routers on.
const ROUTERS = 50;
const LOAD_BUDGET_MS = 45000;

function ispTopology() {
  const routers = [];
  const devices = [];
  const subscribers = [];
  for (let r = 0; r < ROUTERS; r++) {
    const router = `core-${r}`;
    routers.push({ name: router, building: `B${r}`, host: '127.0.0.1', apiPort: 20000 + r, apiUser: 'api', apiPassword: `pw-${r}` });
    devices.push({ name: 'bh', router, type: 'backhaul', ip: `10.${r}.0.1` });
    for (let s = 0; s < 2; s++) {
      devices.push({ name: `sector-${s}`, router, type: 'sector', ip: `10.${r}.${s + 1}.1`, parent: 'bh' });
      for (let t = 0; t < 3; t++) {
        const station = `st-${s}-${t}`;
        devices.push({ name: station, router, type: 'station', ip: `10.${r}.${s + 1}.${t + 10}`, parent: `sector-${s}` });
        for (let u = 0; u < 4; u++) subscribers.push({ username: `u${r}-${s}-${t}-${u}`, router, station, password: 'x' });
      }
    }
  }
  const buildings = routers.map((r) => ({ code: r.building, name: `Building ${r.building}` }));
  return { buildings, routers, devices, subscribers };
}

/** Runs the built CLI; resolves with its output and how long it took (killed past the budget). */
/** The CLI's JSON summary: after its progress lines ("stage: done/total (pct%)"), up to the last brace. */
function summaryOf(stdout: string): string {
  const start = stdout.search(/^\{/m);
  return stdout.slice(start, stdout.lastIndexOf('}') + 1);
}

function loadThroughCli(file: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [join(__dirname, '../../../dist/libs/platform/src/cli/load-topology.js'), file], { env: { PATH: process.env.PATH ?? '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), LOAD_BUDGET_MS);
  return new Promise((resolve) => child.once('exit', (code) => {
    clearTimeout(timer);
    resolve({ code, stdout, stderr, ms: Date.now() - started });
  }));
}

describe('topology CLI at an ISP size (50 routers, 450 devices, 1,200 subscribers)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'topology-isp-'));
  const file = join(dir, 'topology.json');
  const mongoUrl = testMongoUrl('topology-isp');
  const env = { MONGO_URL: mongoUrl, SECRETS_KEYS: SecretBox.generateKey('k1') };
  writeFileSync(file, JSON.stringify(ispTopology()));

  afterAll(async () => {
    const conn = await mongoose.createConnection(mongoUrl).asPromise();
    await conn.dropDatabase();
    await conn.close();
  });

  it(`loads within ${LOAD_BUDGET_MS / 1000} s, and a re-load of the same file within the same budget changes nothing`, async () => {
    const first = await loadThroughCli(file, env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(summaryOf(first.stdout))).toMatchObject({
      routers: { created: ROUTERS },
      devices: { created: 450, updated: 0 },
      subscribers: { created: 1200, updated: 0 },
    });

    const conn = await mongoose.createConnection(mongoUrl).asPromise();
    try {
      const m = modelsOn(conn);
      expect(await m.device.countDocuments({ parent: { $ne: null } })).toBe(400);
      expect(await m.subscriber.countDocuments({ station: { $ne: null } })).toBe(1200);
    } finally {
      await conn.close();
    }

    const again = await loadThroughCli(file, env);
    expect(again.code).toBe(0);
    expect(JSON.parse(summaryOf(again.stdout))).toMatchObject({
      devices: { created: 0, updated: 0 },
      subscribers: { created: 0, updated: 0 },
    });
    console.log(`ISP-size topology: first load ${first.ms} ms, re-load ${again.ms} ms`);
  }, 2 * LOAD_BUDGET_MS + 10000);
});
