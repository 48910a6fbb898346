/**
 * Simulated RouterOS network for demos and manual testing.
 *
 *   node dist/libs/routeros-testing/src/cli.js --routers 3 [--version 7.18.2] [--topology file.yaml]
 *        [--host 127.0.0.1] [--base-port 0] [--control-port 0] [--backhauls 1] [--sectors 2]
 *        [--stations 2] [--subscribers 2]
 *
 * Prints one JSON document (routers with ports, credentials, tokens and their device trees, plus
 * the control URL) and then serves faults over HTTP:
 *   GET  /state                      routers, API call counters, last webhooks and script failures
 *   POST /fault {router, action, ...} action: device-down|device-up {ip}, router-down|router-up,
 *        reboot {ms}, hang|unhang, drop-next-reply, fatal, latency {ms}, refuse-login|accept-login,
 *        drop-webhooks {count?, kind?: ppp|dhcp|netwatch}, deliver-webhooks, clock-offset {ms},
 *        host-latency {ip, ms}, loss {ip, percent}, ppp-connect|ppp-disconnect {username},
 *        lease-bind {mac, ip, hostname?}, lease-expire {mac}
 * `router` is a router id or name. SIGINT/SIGTERM stop everything.
 */
import { parseArgs } from 'node:util';
import { SimulatedNetwork } from './simulated-network';
import { loadTopologyFile } from './topology';
import { startControlServer } from './control-server';

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

  const control = await startControlServer(network, { host: values.host, port: Number(values['control-port']) });
  process.stdout.write(JSON.stringify({ control: control.url, ...network.describe() }, null, 2) + '\n');

  const stop = async () => {
    await control.close();
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
