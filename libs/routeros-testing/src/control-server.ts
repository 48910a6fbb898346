import { createServer } from 'node:http';
import type { SimulatedNetwork } from './simulated-network';
import type { HookKind } from './faults';
import type { SimulatedRouter } from './simulated-router';

/**
 * The simulator's fault control over HTTP, for the CLI and the `npm start` demo:
 *   GET  /state                      routers, API call counters, last webhooks and script failures
 *   POST /fault {router, action, ...} action: device-down|device-up {ip}, router-down|router-up,
 *        reboot {ms}, hang|unhang, drop-next-reply, fatal, latency {ms}, refuse-login|accept-login,
 *        drop-webhooks {count?, kind?: ppp|dhcp|netwatch}, deliver-webhooks, clock-offset {ms},
 *        hold-webhooks, release-webhooks {order?: made|reverse},
 *        host-latency {ip, ms}, loss {ip, percent}, ppp-connect|ppp-disconnect {username},
 *        lease-bind {mac, ip, hostname?}, lease-expire {mac},
 *        fail-command {command, mode: trap|drop, count?}, clear-command-faults
 * `router` is a router id or name. Bind it to loopback: it has no authentication.
 */
export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

export type Fault = { router: string; action: string; ip?: string; ms?: number; percent?: number; username?: string; mac?: string; hostname?: string; count?: number; kind?: HookKind; command?: string; mode?: 'trap' | 'drop'; order?: 'made' | 'reverse' };

export async function applyFault(r: SimulatedRouter, f: Fault): Promise<void> {
  const need = <T>(v: T | undefined, name: string): T => {
    if (v === undefined) throw new Error(`${f.action} needs "${name}"`);
    return v;
  };
  const ms = () => {
    const v = need(f.ms, 'ms');
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${f.action}: "ms" must be a number`);
    return v;
  };
  switch (f.action) {
    case 'device-down':
    case 'device-up':
      return r.setDeviceUp(need(f.ip, 'ip'), f.action === 'device-up');
    case 'router-down':
    case 'router-up':
      return r.setRouterDown(f.action === 'router-down');
    case 'reboot':
      return r.reboot(ms());
    case 'refuse-login':
    case 'accept-login':
      return r.setRefuseLogin(f.action === 'refuse-login');
    case 'drop-webhooks':
      return r.dropWebhooks({ count: f.count, kind: f.kind });
    case 'deliver-webhooks':
      return r.deliverWebhooks();
    case 'clock-offset':
      return r.setClockOffset(ms());
    case 'hold-webhooks':
      return r.holdWebhooks();
    case 'release-webhooks':
      if (f.order !== undefined && f.order !== 'made' && f.order !== 'reverse') throw new Error('release-webhooks: "order" must be made or reverse');
      return r.releaseWebhooks(f.order);
    case 'hang':
    case 'unhang':
      return r.setHang(f.action === 'hang');
    case 'drop-next-reply':
      return r.dropNextReply();
    case 'fail-command':
      return r.failCommand({ command: need(f.command, 'command'), mode: need(f.mode, 'mode'), count: f.count });
    case 'clear-command-faults':
      return r.clearCommandFaults();
    case 'fatal':
      return r.sendFatal();
    case 'latency':
      return r.setApiLatency(ms());
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

export async function startControlServer(network: SimulatedNetwork, opts: { host?: string; port?: number } = {}): Promise<ControlServer> {
  const host = opts.host ?? '127.0.0.1';
  const control = createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/state') {
      return reply(200, {
        ...network.describe(),
        stats: network.routers.map((r) => ({ id: r.id, name: r.name, ...r.stats, rebooting: r.rebooting, webhooks: r.webhooks.slice(-20), scriptFailures: r.scriptFailures.slice(-20) })),
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
  await new Promise<void>((r) => control.listen(opts.port ?? 0, host, () => r()));
  const port = (control.address() as { port: number }).port;
  return { url: `http://${host}:${port}`, close: () => new Promise<void>((r) => control.close(() => r())) };
}
