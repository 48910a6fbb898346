import { waitFor } from '../../../../test/support';
import { SimulatedRouter } from '@isp/routeros-testing';
import { RouterCommands } from '../commands/router-commands';
import { RouterConnectionPool, type PoolOptions } from './router-connection-pool';
import {
  CircuitOpenError,
  RouterBusyError,
  RouterFatalError,
  RouterLoginError,
  RouterTimeoutError,
  RouterTrapError,
  RouterUnreachableError,
} from '../errors/router-errors';

const FAST: Partial<PoolOptions> = {
  callTimeoutMs: 3000,
  connectTimeoutMs: 2000,
  backoffBaseMs: 20,
  backoffMaxMs: 200,
  breakerThreshold: 3,
  breakerCooldownMs: 200,
  idleTimeoutSec: 5,
};

describe.each([
  ['6.49.10', 'v6'],
  ['6.40', 'pre-6.43 challenge login'],
  ['7.15.3', 'v7'],
  ['7.18.2', 'v7.18+ with !empty'],
])('RouterConnectionPool + routeros-client against a RouterOS %s simulator (%s)', (version) => {
  let router: SimulatedRouter;
  let pool: RouterConnectionPool;
  let cmd: RouterCommands;

  beforeAll(async () => {
    router = await SimulatedRouter.start({ version, name: 'core-1' });
    pool = new RouterConnectionPool(FAST);
    pool.register(router.endpoint());
    cmd = new RouterCommands(pool, router.id);
  });
  afterAll(async () => {
    await pool.close();
    await router.stop();
  });

  it('logs in and answers identity and resource', async () => {
    expect(await cmd.identity()).toBe('core-1');
    const res = await cmd.resource();
    expect(res.version).toContain(version);
    expect(res.major).toBe(Number(version.split('.')[0]));
    expect(router.stats.logins).toBe(1);
  });

  it('refuses a wrong password with a permanent RouterLoginError', async () => {
    const other = new RouterConnectionPool(FAST);
    other.register({ ...router.endpoint(), password: () => 'wrong' });
    const err = await other.execute(router.id, ['/system/identity/print']).catch((e) => e);
    expect(err).toBeInstanceOf(RouterLoginError);
    expect(err.retryable).toBe(false);
    expect(err.message).not.toContain(router.password);
    expect(router.stats.loginFailures).toBeGreaterThan(0);
    await other.close();
  });

  it('adds, prints with queries and .proplist, sets and removes by .id', async () => {
    const id = await cmd.menu('/ppp/secret').add({ name: 'alice', password: 's3cret', profile: 'default', comment: 'acct:1' });
    await cmd.menu('/ppp/secret').add({ name: 'bob', password: 'x', profile: 'gold' });
    expect(id).toMatch(/^\*[0-9A-F]+$/);

    const rows = await cmd.menu('/ppp/secret').print({ where: { name: 'alice' }, proplist: ['.id', 'name', 'profile'] });
    expect(rows).toEqual([{ '.id': id, name: 'alice', profile: 'default' }]);

    // OR through the query stack
    const both = await cmd.menu('/ppp/secret').print({ query: ['?name=alice', '?name=bob', '?#|'], proplist: ['name'] });
    expect(both.map((r) => r.name).sort()).toEqual(['alice', 'bob']);

    await cmd.menu('/ppp/secret').set(id, { profile: 'silver', disabled: true });
    expect(await cmd.menu('/ppp/secret').find({ name: 'alice' }, ['profile', 'disabled'])).toEqual({ profile: 'silver', disabled: 'true' });

    await cmd.menu('/ppp/secret').remove(id);
    expect(await cmd.menu('/ppp/secret').print({ where: { name: 'alice' } })).toEqual([]);
  });

  it('keeps the !trap message and category', async () => {
    await cmd.menu('/ppp/secret').add({ name: 'dup', password: 'x' });
    const err = await cmd.menu('/ppp/secret').add({ name: 'dup', password: 'y' }).catch((e) => e);
    expect(err).toBeInstanceOf(RouterTrapError);
    expect(err.trapMessage).toBe('failure: secret with the same name already exists');
    expect(err.category).toBe(1);
    const unknown = await cmd.raw(['/no/such/menu/print']).catch((e) => e);
    expect(unknown).toBeInstanceOf(RouterTrapError);
    expect(unknown.category).toBe(0);
  });

  it('an empty print neither crashes nor hangs (RouterOS 7.18 sends !empty)', async () => {
    expect(await cmd.menu('/ip/firewall/address-list').print({ where: { list: 'nothing-here' } })).toEqual([]);
    expect(await cmd.menu('/tool/netwatch').print()).toEqual([]);
    // and the connection is still healthy afterwards
    expect(await cmd.identity()).toBe('core-1');
  });

  it('round-trips "00123" and "true" as strings', async () => {
    await cmd.menu('/ppp/secret').add({ name: '00123', password: '0012', comment: 'true' });
    const [row] = await cmd.menu('/ppp/secret').print({ where: { name: '00123' }, proplist: ['name', 'password', 'comment'] });
    expect(row).toEqual({ name: '00123', password: '0012', comment: 'true' });
    expect(typeof row.name).toBe('string');
  });

  it('runs 200 concurrent commands over one connection, each with its own answer', async () => {
    const before = router.stats.connectionsAccepted;
    const wide = new RouterConnectionPool({ ...FAST, maxConcurrentPerRouter: 200, callTimeoutMs: 10000 });
    wide.register(router.endpoint());
    const c = new RouterCommands(wide, router.id);
    for (let i = 0; i < 20; i++) await c.menu('/ip/firewall/address-list').add({ list: `l${i}`, address: `10.9.0.${i}` });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => c.menu('/ip/firewall/address-list').print({ where: { list: `l${i % 20}` }, proplist: ['list', 'address'] })));
    results.forEach((rows, i) => expect(rows).toEqual([{ list: `l${i % 20}`, address: `10.9.0.${i % 20}` }]));
    expect(router.stats.connectionsAccepted - before).toBe(1);
    await wide.close();
  });
});

describe('RouterConnectionPool behaviour', () => {
  let router: SimulatedRouter;
  afterEach(async () => router?.stop());

  it('opens exactly one TCP connection for many calls and decrypts the password only to connect', async () => {
    router = await SimulatedRouter.start();
    let passwordCalls = 0;
    const pool = new RouterConnectionPool(FAST);
    pool.register({ ...router.endpoint(), password: async () => (passwordCalls++, router.password) });
    const cmd = new RouterCommands(pool, router.id);
    await Promise.all(Array.from({ length: 50 }, () => cmd.identity()));
    for (let i = 0; i < 10; i++) await cmd.identity();
    expect(router.stats.connectionsAccepted).toBe(1);
    expect(router.stats.commands).toBe(60);
    expect(passwordCalls).toBe(1);
    const m = pool.metrics();
    expect(m).toMatchObject({ openConnections: 1, connectionsOpened: 1, reconnects: 0, calls: 60, inFlight: 0 });
    expect(m.latency.count).toBe(60);
    await pool.close();
  });

  it('re-establishes a dropped connection (mid-reply drop and !fatal)', async () => {
    router = await SimulatedRouter.start();
    const pool = new RouterConnectionPool(FAST);
    pool.register(router.endpoint());
    const cmd = new RouterCommands(pool, router.id);
    expect(await cmd.identity()).toBeTruthy();

    router.dropNextReply();
    const err = await cmd.identity().catch((e) => e);
    expect(err).toBeInstanceOf(RouterUnreachableError);
    expect(err.retryable).toBe(true);
    expect(await waitFor(() => cmd.identity())).toBeTruthy();

    router.sendFatal('too many sessions');
    await waitFor(() => pool.metrics().reconnects >= 2, { message: 'reconnect after !fatal' });
    expect(await cmd.identity()).toBeTruthy();
    expect(router.stats.connectionsAccepted).toBe(3);
    expect(pool.metrics().errors.unreachable).toBeGreaterThanOrEqual(1);
    await pool.close();
  });

  it('reports !fatal to the call it interrupts', async () => {
    router = await SimulatedRouter.start();
    const pool = new RouterConnectionPool(FAST);
    pool.register(router.endpoint());
    const cmd = new RouterCommands(pool, router.id);
    await cmd.identity();
    const ping = cmd.ping('10.255.0.1', { count: 50, intervalMs: 50 });
    await waitFor(() => router.stats.commandsByPath['/ping']);
    router.sendFatal('session terminated on request');
    const err = await ping.catch((e) => e);
    expect(err).toBeInstanceOf(RouterFatalError);
    expect(err.fatalMessage).toBe('session terminated on request');
    await pool.close();
  });

  it('opens the circuit on a dead router, fails fast, and closes it after recovery', async () => {
    router = await SimulatedRouter.start();
    const pool = new RouterConnectionPool(FAST);
    pool.register(router.endpoint());
    const cmd = new RouterCommands(pool, router.id);
    await cmd.identity();
    await router.setRouterDown(true);

    await waitFor(async () => {
      await cmd.identity().catch(() => undefined);
      return pool.state(router.id)?.breaker === 'open';
    }, { message: 'circuit opens' });
    const fast = await cmd.identity().catch((e) => e);
    expect(fast).toBeInstanceOf(CircuitOpenError);
    expect(fast.retryable).toBe(true);
    expect(pool.metrics().errors.circuit_open).toBeGreaterThan(0);

    await router.setRouterDown(false);
    await waitFor(() => cmd.identity().catch(() => undefined), { message: 'router answers again' });
    expect(pool.state(router.id)).toMatchObject({ breaker: 'closed', connected: true, consecutiveFailures: 0 });
    await pool.close();
  });

  it('times out a hung router with RouterTimeoutError, and a slot queue has a bound', async () => {
    router = await SimulatedRouter.start();
    const pool = new RouterConnectionPool({ ...FAST, callTimeoutMs: 300, maxConcurrentPerRouter: 1, maxQueuePerRouter: 1, breakerThreshold: 100 });
    pool.register(router.endpoint());
    const cmd = new RouterCommands(pool, router.id);
    await cmd.identity();
    router.setHang(true);
    const calls = [cmd.identity(), cmd.identity(), cmd.identity()].map((p) => p.catch((e) => e));
    const [a, b, c] = await Promise.all(calls);
    expect(a).toBeInstanceOf(RouterTimeoutError);
    expect(b).toBeInstanceOf(RouterTimeoutError); // waited in the queue, then ran out of time
    expect(c).toBeInstanceOf(RouterBusyError);
    await pool.close();
  });

  it('accepts endpoints from a resolver and rejects unknown routers', async () => {
    router = await SimulatedRouter.start();
    const pool = new RouterConnectionPool({ ...FAST, resolveEndpoint: async (id) => (id === router.id ? router.endpoint() : undefined) });
    expect(await new RouterCommands(pool, router.id).identity()).toBeTruthy();
    await expect(pool.execute('nope', ['/system/identity/print'])).rejects.toBeInstanceOf(RouterUnreachableError);
    await pool.close();
  });
});
