import { RetryableError } from '@isp/domain';
import { RouterCommands, RouterTrapError, type KickResult, type MenuProps, type RouterConnectionPool } from '@isp/routeros';
import type { PrintOptions, RosRow, RouterApi } from '../router-access/router-api';
import { Menu, type RouterOp } from '../planning/router-ops';
import { PlanExecutor } from './plan-executor';

/** A router port that records calls and answers from a fixed /ppp/active table. */
class RecordingApi implements RouterApi {
  readonly calls: string[] = [];
  constructor(
    private readonly active: RosRow[] = [],
    private readonly fail: (call: string) => Error | undefined = () => undefined,
  ) {}
  private record(call: string): void {
    this.calls.push(call);
    const err = this.fail(call);
    if (err) throw err;
  }
  async print(_r: string, menu: string, opts: PrintOptions): Promise<RosRow[]> {
    this.record(`print ${menu}${opts.where?.name ? ` ${opts.where.name}` : ''}`);
    return menu === Menu.ACTIVE ? this.active.filter((a) => !opts.where?.name || a.name === opts.where.name) : [];
  }
  async add(_r: string, menu: string, props: MenuProps) {
    this.record(`add ${menu} ${props.name ?? props.address ?? ''}`);
  }
  async set(_r: string, menu: string, id: string) {
    this.record(`set ${menu} ${id}`);
  }
  async move(_r: string, menu: string, id: string, before?: string) {
    this.record(`move ${menu} ${id} ${before ?? 'end'}`);
  }
  async remove(_r: string, menu: string, id: string) {
    this.record(`remove ${menu} ${id}`);
  }
  /** The real kick of libs/routeros, its router calls answered by this recorder. */
  kick(r: string, usernames: Iterable<string>, parallel?: number): Promise<KickResult> {
    const pool = {
      execute: async (_id: string, words: string[]): Promise<RosRow[]> => {
        const [command, ...rest] = words;
        const menu = command.slice(0, command.lastIndexOf('/'));
        if (command.endsWith('/print')) {
          const name = rest.find((w) => w.startsWith('?name='))?.slice('?name='.length);
          return this.print(r, menu, { proplist: [], where: name ? { name } : undefined });
        }
        await this.remove(r, menu, rest[0].slice('=.id='.length));
        return [];
      },
    };
    return new RouterCommands(pool as unknown as RouterConnectionPool, r).kick(usernames, parallel);
  }
}

const ops: RouterOp[] = [
  { op: 'kick', username: 'alice', why: '', userId: 'u1' },
  { op: 'set', menu: Menu.SECRET, id: '*1', props: { profile: 'suspended' }, why: '', userId: 'u1' },
  { op: 'remove', menu: Menu.QUEUE, id: '*9', why: '', userId: 'u2' },
  { op: 'add', menu: Menu.PROFILE, props: { name: 'suspended' }, why: '' },
];

describe('PlanExecutor', () => {
  it('applies profiles, removals, adds/sets, then kicks the sessions that exist', async () => {
    const api = new RecordingApi([{ '.id': '*80000001', name: 'alice' }]);
    const r = await new PlanExecutor(api).apply('r1', ops, 1);
    expect(api.calls).toEqual([`add ${Menu.PROFILE} suspended`, `remove ${Menu.QUEUE} *9`, `set ${Menu.SECRET} *1`, `print ${Menu.ACTIVE} alice`, `remove ${Menu.ACTIVE} *80000001`]);
    expect(r).toMatchObject({ writes: 4, kicked: 1 });
  });

  it('records a refused write against its subscriber, skips its kick, and carries on', async () => {
    const api = new RecordingApi([{ '.id': '*80000001', name: 'alice' }], (c) => (c.startsWith('set') ? new RouterTrapError('r1', 'input does not match any value of profile', 1, '/ppp/secret/set') : undefined));
    const r = await new PlanExecutor(api).apply('r1', ops, 1);
    expect(r.refused.get('u1')).toMatch(/does not match/);
    expect(api.calls).not.toContain(`print ${Menu.ACTIVE} alice`);
    expect(r.writes).toBe(2);
  });

  it('a router that goes away aborts the pass', async () => {
    const api = new RecordingApi([], (c) => (c.startsWith('remove') ? new RetryableError('gone') : undefined));
    await expect(new PlanExecutor(api).apply('r1', ops, 1)).rejects.toThrow('gone');
    expect(api.calls.some((c) => c.startsWith('set'))).toBe(false);
  });

  it('many kicks read /ppp/active once', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `u${i}`);
    const api = new RecordingApi(names.map((n, i) => ({ '.id': `*${i}`, name: n })));
    const r = await new PlanExecutor(api).apply('r1', names.map((username) => ({ op: 'kick', username, why: '' })), 4);
    expect(api.calls.filter((c) => c.startsWith('print'))).toEqual([`print ${Menu.ACTIVE}`]);
    expect(r.kicked).toBe(20);
  });
});
