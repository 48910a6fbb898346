import { RouterCommands, RouterConnectionPool } from '@isp/routeros';
import { SimulatedRouter } from './simulated-router';

/** Firewall rules keep their order: `add place-before=` and `move`; and single-command faults. */
describe('simulated router: ordered menus and command faults', () => {
  let router: SimulatedRouter;
  let pool: RouterConnectionPool;
  let cmd: RouterCommands;
  const chains = () => router.table('/ip/firewall/filter').map((r) => r.comment);

  beforeEach(async () => {
    router = await SimulatedRouter.start({ pppRedialMs: null });
    pool = new RouterConnectionPool({ callTimeoutMs: 2000, connectTimeoutMs: 500, backoffBaseMs: 20, backoffMaxMs: 50, breakerThreshold: 1000 });
    pool.register(router.endpoint());
    cmd = new RouterCommands(pool, router.id);
  });
  afterEach(async () => {
    await pool.close();
    await router.stop();
  });

  it('adds before a rule and moves rules before another or to the end', async () => {
    const filter = cmd.menu('/ip/firewall/filter');
    const a = await filter.add({ chain: 'forward', action: 'fasttrack-connection', comment: 'a' });
    const b = await filter.add({ chain: 'forward', action: 'accept', comment: 'b' });
    const c = await filter.add({ chain: 'forward', action: 'drop', comment: 'c', 'place-before': a });
    expect(chains()).toEqual(['c', 'a', 'b']);
    await filter.move(b, c);
    expect(chains()).toEqual(['b', 'c', 'a']);
    await filter.move(b);
    expect(chains()).toEqual(['c', 'a', 'b']);
    await expect(cmd.menu('/ppp/secret').add({ name: 'x', 'place-before': '*1' })).rejects.toThrow(/place-before/);
  });

  it('refuses one command with a trap, or drops the connection before it runs, count times', async () => {
    router.addSubscriber({ username: 'u1', password: 'p' });
    router.failCommand({ command: '/ppp/active/remove', mode: 'trap', count: 1 });
    await expect(cmd.kick(['u1'])).resolves.toEqual(expect.objectContaining({ kicked: 0 }));
    expect(router.table('/ppp/active')).toHaveLength(1);
    router.failCommand({ command: '/ppp/active/remove', mode: 'drop', count: 1 });
    await expect(cmd.kick(['u1'])).rejects.toThrow();
    expect(router.table('/ppp/active')).toHaveLength(1);
    await expect(cmd.kick(['u1'])).resolves.toEqual(expect.objectContaining({ kicked: 1 }));
    expect(router.table('/ppp/active')).toHaveLength(0);
  });
});
