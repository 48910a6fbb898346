import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { withTimeout } from './with-timeout';

describe('withTimeout', () => {
  it('settles as the work does when it is in time', async () => {
    await expect(withTimeout(Promise.resolve(7), 1000)).resolves.toBe(7);
    await expect(withTimeout(Promise.reject(new Error('boom')), 1000)).rejects.toThrow('boom');
  });

  it('rejects with the default or the given error when the work is late', async () => {
    const never = new Promise<number>(() => undefined);
    await expect(withTimeout(never, 5)).rejects.toThrow('no answer within 5 ms');
    class Late extends Error {}
    await expect(withTimeout(never, 5, () => new Late('late'))).rejects.toBeInstanceOf(Late);
  });
});

describe('withTimeout when the event loop was blocked past the deadline', () => {
  /** Blocks this process's event loop, as a long synchronous job would. */
  const block = (ms: number) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      // busy
    }
  };

  it('lets an answer that arrived in time win over the late timer', async () => {
    // The peer is another process, so it answers while this one is blocked.
    const peer = spawn(process.execPath, ['-e', "require('net').createServer((s) => s.once('data', () => s.end('answer'))).listen(0, '127.0.0.1', function () { console.log(this.address().port) })"]);
    try {
      const port = Number(await new Promise<string>((r) => peer.stdout.once('data', (d) => r(String(d)))));
      const client = connect(port, '127.0.0.1');
      await once(client, 'connect');
      const answer = once(client, 'data').then(([d]) => String(d));
      const judged = withTimeout(answer, 50);
      client.write('go');
      // The answer reaches this process's socket while its loop is blocked well past the deadline.
      block(400);
      await expect(judged).resolves.toBe('answer');
      client.destroy();
    } finally {
      peer.kill();
    }
  });
});
