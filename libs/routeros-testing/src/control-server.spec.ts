import { startControlServer, type ControlServer } from './control-server';
import { SimulatedNetwork } from './simulated-network';

describe('simulator control server', () => {
  let net: SimulatedNetwork;
  let control: ControlServer;

  beforeAll(async () => {
    net = await SimulatedNetwork.start({ generate: { routers: 1, sectorsPerRouter: 1, stationsPerSector: 1, subscribersPerStation: 1 } });
    control = await startControlServer(net);
  });
  afterAll(async () => {
    await control?.close();
    await net?.stop();
  });

  it('applies a fault by router name and reports state', async () => {
    const router = net.routers[0];
    const sector = router.deviceList().find((d) => d.type === 'sector')!;
    const res = await fetch(`${control.url}/fault`, { method: 'POST', body: JSON.stringify({ router: router.name, action: 'device-down', ip: sector.ip }) });
    expect(res.status).toBe(200);
    expect(router.deviceList().find((d) => d.ip === sector.ip)?.up).toBe(false);
    const state = (await (await fetch(`${control.url}/state`)).json()) as { routers: { name: string }[] };
    expect(state.routers.map((r) => r.name)).toEqual([router.name]);
  });

  it('answers a bad fault with 400 and the reason', async () => {
    const res = await fetch(`${control.url}/fault`, { method: 'POST', body: JSON.stringify({ router: net.routers[0].name, action: 'device-down' }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ ok: false, error: 'device-down needs "ip"' });
    expect((await fetch(`${control.url}/fault`, { method: 'POST', body: 'not json' })).status).toBe(400);
  });
});
