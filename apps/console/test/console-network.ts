// The small network the console's browser test works on, created through the gateway's API as
// an operator would (the same steps as the full-stack spec): one building, its core router (the
// simulator), two sectors with a station each, and three subscribers online.
import { parseWebhookToken } from '@isp/domain';
import { waitFor } from '../../../test/support';
import type { FullStack } from '../../api-gateway/test/full-stack-harness';

export const SECTOR_A = '10.30.1.1';
export const STATION_A1 = '10.30.11.1';
export const SECTOR_B = '10.30.2.1';
export const STATION_B1 = '10.30.21.1';
export const SUBSCRIBERS = [
  { username: 'alice', station: 'station-a1', stationIp: STATION_A1 },
  { username: 'bob', station: 'station-b1', stationIp: STATION_B1 },
  { username: 'carol', station: 'station-b1', stationIp: STATION_B1 },
];

/** Creates the network; resolves with the ids by name once every subscriber is online. */
export async function createNetwork(s: FullStack): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  const ok = async (method: string, url: string, body?: unknown) => {
    const r = await s.request(method, url, body);
    if (r.status >= 300) throw new Error(`${method} ${url} -> ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  s.sim.addDevice({ name: 'sector-a', type: 'sector', ip: SECTOR_A });
  s.sim.addDevice({ name: 'station-a1', type: 'station', ip: STATION_A1, parentIp: SECTOR_A });
  s.sim.addDevice({ name: 'sector-b', type: 'sector', ip: SECTOR_B });
  s.sim.addDevice({ name: 'station-b1', type: 'station', ip: STATION_B1, parentIp: SECTOR_B });

  ids.building = (await ok('POST', '/api/v1/buildings', { name: 'Torre Norte', code: 'TN', address: 'Av. Libertad 100' })).id;
  ids.router = (
    await ok('POST', '/api/v1/routers', {
      name: 'core-tn',
      host: s.sim.host,
      apiPort: s.sim.port,
      apiUser: s.sim.user,
      apiPassword: s.sim.password,
      building: ids.building,
      role: 'core',
      rosVersion: s.sim.version,
    })
  ).id;
  for (const [name, type, ip, parent] of [
    ['sector-a', 'sector', SECTOR_A],
    ['station-a1', 'station', STATION_A1, 'sector-a'],
    ['sector-b', 'sector', SECTOR_B],
    ['station-b1', 'station', STATION_B1, 'sector-b'],
  ] as const) {
    ids[name] = (await ok('POST', '/api/v1/devices', { name, deviceType: type, ipAddress: ip, router: ids.router, ...(parent && { parent: ids[parent] }) })).id;
  }
  for (const sub of SUBSCRIBERS) {
    ids[sub.username] = (await ok('POST', '/api/v1/subscribers', { username: sub.username, password: `pw-${sub.username}`, router: ids.router, station: ids[sub.station], profile: 'default' })).id;
  }

  // The webhook token: provisioning writes the snitch scripts carrying it onto the router.
  await s.settle('first router pass done');
  const token = (await ok('POST', `/api/v1/routers/${ids.router}/webhook-token`)).token as string;
  if (!parseWebhookToken(token)) throw new Error('webhook token not parsable');
  await waitFor(
    () => [SECTOR_A, STATION_A1, SECTOR_B, STATION_B1].every((host) => s.sim.table('/tool/netwatch').find((n) => n.host === host)?.['down-script']?.includes(token)),
    { timeoutMs: 20000, message: 'snitch scripts with the token on the router' },
  );
  for (const sub of SUBSCRIBERS) {
    await waitFor(async () => (await s.request('GET', `/api/v1/subscribers/${ids[sub.username]}/sync`)).body.inSync === true, { timeoutMs: 20000, message: `${sub.username} synced` });
  }
  for (const sub of SUBSCRIBERS) s.sim.addSubscriber({ username: sub.username, password: `pw-${sub.username}`, stationIp: sub.stationIp });
  for (const sub of SUBSCRIBERS) {
    await waitFor(async () => (await s.request('GET', `/api/v1/subscribers/${ids[sub.username]}/status`)).body.isOnline === true, { timeoutMs: 15000, message: `${sub.username} online` });
  }
  await s.settle('network settled');
  return ids;
}
