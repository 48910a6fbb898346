// api-ssl: the real client over TLS against the simulator serving a throwaway self-signed
// certificate, the way most MikroTik routers are set up.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { RouterCommands } from '../commands/router-commands';
import { SimulatedRouter } from '@isp/routeros-testing';
import { RouterConnectionPool } from './router-connection-pool';
import { routerTls } from './router-tls';

function selfSigned(cn: string): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'api-ssl-'));
  try {
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${cn}`], { stdio: 'ignore' });
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('api-ssl (TLS)', () => {
  const own = selfSigned('core-ssl');
  const impostor = selfSigned('core-ssl');
  let router: SimulatedRouter;
  const pools: RouterConnectionPool[] = [];

  beforeAll(async () => {
    router = await SimulatedRouter.start({ tls: own });
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
    await router.stop();
  });

  const commandsOver = (tls: boolean | ConnectionOptions) => {
    const pool = new RouterConnectionPool({ callTimeoutMs: 3000, connectTimeoutMs: 2000, breakerThreshold: 100 });
    pools.push(pool);
    pool.register({ ...router.endpoint(), tls });
    return new RouterCommands(pool, router.id);
  };

  it("with the router's own certificate pinned, commands run over TLS on one connection", async () => {
    const before = router.stats.connectionsAccepted;
    const cmd = commandsOver(routerTls(true, own.cert));
    const [a, b] = await Promise.all([cmd.identity(), cmd.identity()]);
    expect(a).toEqual(b);
    expect(router.stats.connectionsAccepted - before).toBe(1);
  });

  it.each([
    ['not pinned (a self-signed certificate does not chain to a public CA)', routerTls(true, null)],
    ['pinned to another certificate with the same name', routerTls(true, impostor.cert)],
  ])('%s: refused before any password is sent', async (_what, tls) => {
    const logins = router.stats.logins + router.stats.loginFailures;
    await expect(commandsOver(tls).identity()).rejects.toThrow(/certificate/i);
    expect(router.stats.logins + router.stats.loginFailures).toBe(logins);
  });

  it('plain API against api-ssl fails instead of hanging', async () => {
    await expect(commandsOver(routerTls(false)).identity()).rejects.toThrow();
  });
});
