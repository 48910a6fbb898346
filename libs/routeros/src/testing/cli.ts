/**
 * Simulated RouterOS network for demos and manual testing.
 *
 *   node dist/libs/routeros/src/testing/cli.js --routers 3 [--version 7.18.2] [--topology file.yaml]
 *        [--host 127.0.0.1] [--base-port 0] [--control-port 0] [--backhauls 1] [--sectors 2]
 *        [--stations 2] [--subscribers 2]
 *
 * Prints one JSON document (routers with ports, credentials, tokens and their device trees, plus
 * the control URL) and then serves faults over HTTP:
 *   GET  /state                      routers, API call counters, last webhooks
 *   POST /fault {router, action, ...} action: device-down|device-up {ip}, router-down|router-up,
 *        hang|unhang, drop-next-reply, fatal, latency {ms}, host-latency {ip, ms}, loss {ip, percent},
 *        ppp-connect|ppp-disconnect {username}, lease-bind {mac, ip, hostname?}, lease-expire {mac}
 * `router` is a router id or name. SIGINT/SIGTERM stop everything.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { SimulatedNetwork } from './simulated-network';
import { loadTopologyFile } from './topology';
import type { SimulatedRouter } from './simulated-router';

type Fault = { router: string; action: string; ip?: string; ms?: number; percent?: number; username?: string; mac?: string; hostname?: string };

async function applyFault(r: SimulatedRouter, f: Fault): Promise<void> {
  const need = <T>(v: T | undefined, name: string): T => {
    if (v === undefined) throw new Error(`${f.action} needs "${name}"`);
    return v;
  };
  switch (f.action) {
    case 'device-down':
    case 'device-up':
      return r.setDeviceUp(need(f.ip, 'ip'), f.action === 'device-up');
    case 'router-down':
    case 'router-up':
      return r.setRouterDown(f.action === 'router-down');
    case 'hang':
    case 'unhang':
      return r.setHang(f.action === 'hang');
    case 'drop-next-reply':
      return r.dropNextReply();
    case 'fatal':
      return r.sendFatal();
    case 'latency':
      return r.setApiLatency(need(f.ms, 'ms'));
    case 'host-latency':
      return r.setHostLatency(need(f.ip, 'ip'), need(f.ms, 'ms'));
    case 'loss':
      return r.setHostLoss(need(f.ip, 'ip'), need(f.percent, 'percent'));
    case 'ppp-connect':
      r.pppConnect(need(f.username, 'username'));
      return;
    case 'ppp-disconnect':
      r.pppDisconnect(need(f.username, 'username'));
      return;
    case 'lease-bind':
      return r.leaseBind(need(f.mac, 'mac'), need(f.ip, 'ip'), { hostname: f.hostname });
    case 'lease-expire':
      return r.leaseExpire(need(f.mac, 'mac'));
    default:
      throw new Error(`unknown action ${f.action}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      routers: { type: 'string', default: '1' },
      version: { type: 'string', default: '7.15.3' },
      topology: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'base-port': { type: 'string', default: '0' },
      'control-port': { type: 'string', default: '0' },
      backhauls: { type: 'string', default: '1' },
      sectors: { type: 'string', default: '2' },
      stations: { type: 'string', default: '2' },
      subscribers: { type: 'string', default: '2' },
    },
  });
  const network = await SimulatedNetwork.start({
    topology: values.topology ? loadTopologyFile(values.topology) : undefined,
    generate: {
      routers: Number(values.routers),
      version: values.version,
      backhaulsPerRouter: Number(values.backhauls),
      sectorsPerRouter: Number(values.sectors),
      stationsPerSector: Number(values.stations),
      subscribersPerStation: Number(values.subscribers),
    },
    version: values.version,
    host: values.host,
    basePort: Number(values['base-port']),
  });

  const control = createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/state') {
      return reply(200, {
        ...network.describe(),
        stats: network.routers.map((r) => ({ id: r.id, name: r.name, ...r.stats, webhooks: r.webhooks.slice(-20) })),
      });
    }
    if (req.method === 'POST' && req.url === '/fault') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', async () => {
        try {
          const fault = JSON.parse(body) as Fault;
          await applyFault(network.router(fault.router), fault);
          reply(200, { ok: true });
        } catch (err) {
          reply(400, { ok: false, error: (err as Error).message });
        }
      });
      return;
    }
    reply(404, { error: 'GET /state or POST /fault' });
  });
  await new Promise<void>((r) => control.listen(Number(values['control-port']), values.host, () => r()));
  const port = (control.address() as { port: number }).port;
  process.stdout.write(JSON.stringify({ control: `http://${values.host}:${port}`, ...network.describe() }, null, 2) + '\n');

  const stop = async () => {
    control.close();
    await network.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(`routeros simulator: ${(err as Error).message}\n`);
  process.exit(1);
});
