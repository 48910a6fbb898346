import { createServer, type Server, type Socket } from 'node:net';
import { RouterOSClient } from 'routeros-client';
import { SimulatedRouter, SentenceDecoder, encodeSentence } from '@isp/routeros-testing';
import { RouterConnectionPool } from '../pool/router-connection-pool';
import { RouterCommands } from '../commands/router-commands';
import { RouterTrapError } from '../errors/router-errors';
import './node-routeros-fixes';

// The routeros-client defects of docs/routeros.md §8, shown with the library itself against the
// simulator, next to the proof that this library's path does not have them.

async function rawClient(router: SimulatedRouter): Promise<RouterOSClient> {
  const client = new RouterOSClient({ host: router.host, port: router.port, user: router.user, password: router.password, timeout: 5 });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

describe('routeros-client defects and the fixes', () => {
  let router: SimulatedRouter;
  let pool: RouterConnectionPool;
  let cmd: RouterCommands;
  beforeAll(async () => {
    router = await SimulatedRouter.start({ version: '7.18.2' });
    pool = new RouterConnectionPool({ callTimeoutMs: 3000 });
    pool.register(router.endpoint());
    cmd = new RouterCommands(pool, router.id);
    await cmd.menu('/ppp/secret').add({ name: '00123', password: '007', comment: 'true' });
    await cmd.menu('/ppp/secret').add({ name: 'alice', password: 'a' });
    await cmd.menu('/ppp/secret').add({ name: 'bob', password: 'b' });
  });
  afterAll(async () => {
    await pool.close();
    await router.stop();
  });

  it('!empty: the real routeros-client builder resolves an empty print with [] once the fix is loaded', async () => {
    const client = await rawClient(router);
    await expect(client.api().menu('/ip/firewall/address-list').where('list', 'none').get()).resolves.toEqual([]);
    await client.close();
  });

  it('value conversion: the builder turns "00123" into 123 and "true" into true; our commands do not', async () => {
    const client = await rawClient(router);
    const [converted] = await client.api().menu('/ppp/secret').where('name', '00123').get();
    expect(converted.name).toBe(123);
    expect(converted.comment).toBe(true);
    await client.close();
    const [row] = await cmd.menu('/ppp/secret').print({ where: { name: '00123' }, proplist: ['name', 'password', 'comment'] });
    expect(row).toEqual({ name: '00123', password: '007', comment: 'true' });
  });

  it('accented text (win1252, what Winbox shows) round-trips, ASCII and not, through the one-buffer framing', async () => {
    const comment = 'Jos\u00e9 Nand\u00fa \u20ac5';
    await cmd.menu('/ppp/secret').add({ name: 'jose', password: 'j', comment });
    const [row] = (await pool.execute(router.id, ['/ppp/secret/print', '?name=jose'])) as { comment?: string }[];
    expect(row.comment).toBe(comment);
    // win1252 on the wire: \u20ac is the single byte 0x80, as on a real router.
    expect(router.table('/ppp/secret').find((r) => r.name === 'jose')?.comment).toBe('Jos\u00e9 Nand\u00fa \x805');
  });

  it('shared builder: one menu object used by two concurrent lookups mixes their queries; ours keep them apart', async () => {
    const client = await rawClient(router);
    const shared = client.api().menu('/ppp/secret');
    const lookup = async (name: string) => {
      shared.where('name', name);
      await Promise.resolve();
      return (await shared.get()).map((r: { name: unknown }) => String(r.name));
    };
    const [a, b] = await Promise.all([lookup('alice'), lookup('bob')]);
    expect(a).not.toEqual(['alice']); // the query carried both names
    expect(b).not.toEqual(['bob']); // the query was reset by the other call: every secret
    await client.close();

    const ours = async (name: string) => (await cmd.menu('/ppp/secret').print({ where: { name }, proplist: ['name'] })).map((r) => r.name);
    await expect(Promise.all([ours('alice'), ours('bob')])).resolves.toEqual([['alice'], ['bob']]);
  });
});

describe('node-routeros fixes against a misbehaving server', () => {
  let server: Server;
  let port: number;
  // A router that logs in, then answers /bad with a reply word node-routeros does not know
  // and also sends a reply for a tag nobody asked about.
  beforeAll(async () => {
    server = createServer((socket: Socket) => {
      const dec = new SentenceDecoder();
      socket.on('data', (chunk) => {
        for (const words of dec.push(chunk)) {
          const tag = words.find((w) => w.startsWith('.tag='))!;
          if (words[0] === '/login') socket.write(encodeSentence(['!done', tag]));
          else if (words[0] === '/bad') socket.write(Buffer.concat([encodeSentence(['!re', '=x=1', '.tag=stray']), encodeSentence(['!weird', tag]), encodeSentence(['!done', tag])]));
          else socket.write(Buffer.concat([encodeSentence(['!trap', '=category=1', '=message=bad value', tag]), encodeSentence(['!done', tag])]));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('unknown replies and stray tags reject one call instead of throwing in the socket handler', async () => {
    const pool = new RouterConnectionPool({ callTimeoutMs: 2000 });
    pool.register({ id: 'odd', host: '127.0.0.1', port, user: 'u', password: () => 'p' });
    await expect(pool.execute('odd', ['/bad'])).rejects.toMatchObject({ trapMessage: 'unknown reply !weird' });
    const trap = await pool.execute('odd', ['/other']).catch((e) => e);
    expect(trap).toBeInstanceOf(RouterTrapError);
    expect(trap).toMatchObject({ trapMessage: 'bad value', category: 1 });
    await pool.close();
  });
});
