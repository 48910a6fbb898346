import { Test } from '@nestjs/testing';
import { RouterCommands, RouterConnectionPool } from '@isp/routeros';
import { RouterOsModule } from '@isp/routeros/routeros.module';
import { SimulatedNetwork } from './simulated-network';

describe('SimulatedNetwork', () => {
  let net: SimulatedNetwork;
  afterEach(async () => net?.stop());

  it('starts routers with a generated building/backhaul/sector/station/subscriber tree', async () => {
    net = await SimulatedNetwork.start({ generate: { routers: 2, sectorsPerRouter: 2, stationsPerSector: 2, subscribersPerStation: 2 }, version: '7.18.2', router: { pppRedialMs: null } });
    const d = net.describe();
    expect(d.routers).toHaveLength(2);
    expect(d.routers[0]).toMatchObject({ name: 'B1-CORE', building: { code: 'B1' }, version: '7.18.2' });
    expect(d.routers[0].token).toMatch(/^rt_650000000000000000000001_/);
    expect(d.routers[0].devices.map((x) => x.type)).toEqual(['backhaul', 'sector', 'station', 'station', 'sector', 'station', 'station']);
    expect(d.routers[0].subscribers).toHaveLength(8);

    const pool = new RouterConnectionPool({ callTimeoutMs: 3000 });
    for (const r of net.routers) pool.register(r.endpoint());
    const [r1] = net.routers;
    const cmd = new RouterCommands(pool, r1.id);
    expect(await cmd.menu('/ppp/active').print({ proplist: ['name'] })).toHaveLength(8);

    // A sector fails: its stations are impacted, their subscribers drop, the other sector is fine.
    r1.setDeviceUp('10.0.1.1', false);
    expect((await cmd.ping('10.0.10.1', { count: 1, intervalMs: 10 })).reachable).toBe(false);
    expect((await cmd.ping('10.0.11.1', { count: 1, intervalMs: 10 })).reachable).toBe(true);
    expect(await cmd.menu('/ppp/active').print({ proplist: ['name'] })).toHaveLength(4);

    // Counters let other tests prove what did or did not touch a router.
    expect(net.routers[1].stats.commands).toBe(0);
    expect(r1.stats.connectionsAccepted).toBe(1);
    await pool.close();
  });

  it('RouterOsModule provides one pool and closes it with the application', async () => {
    net = await SimulatedNetwork.start({ generate: { routers: 1 } });
    const [r] = net.routers;
    const app = await Test.createTestingModule({
      imports: [RouterOsModule.forRootAsync({ useFactory: () => ({ resolveEndpoint: async () => r.endpoint() }) })],
    }).compile();
    await app.init();
    const pool = app.get(RouterConnectionPool);
    expect(await new RouterCommands(pool, r.id).identity()).toBe('B1-CORE');
    expect(r.stats.activeConnections).toBe(1);
    await app.close();
    expect(pool.metrics().openConnections).toBe(0);
  });
});
