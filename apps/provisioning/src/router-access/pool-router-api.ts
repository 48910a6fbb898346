import { RouterCommands, type KickResult, type MenuProps, type RouterConnectionPool } from '@isp/routeros';
import type { PrintOptions, RosRow, RouterApi, RouterCallCounter } from './router-api';

/** The RouterApi port over libs/routeros' commands, counting reads and writes. */
export class PoolRouterApi implements RouterApi {
  constructor(
    private readonly pool: RouterConnectionPool,
    private readonly counter: RouterCallCounter,
  ) {}

  private menu(routerId: string, menu: string) {
    return new RouterCommands(this.pool, routerId).menu(menu);
  }

  async print(routerId: string, menu: string, opts: PrintOptions): Promise<RosRow[]> {
    this.counter.read();
    return this.menu(routerId, menu).print(opts);
  }

  async add(routerId: string, menu: string, props: MenuProps): Promise<void> {
    this.counter.write(routerId);
    await this.menu(routerId, menu).add(props);
  }

  async set(routerId: string, menu: string, id: string, props: MenuProps): Promise<void> {
    this.counter.write(routerId);
    await this.menu(routerId, menu).set(id, props);
  }

  async remove(routerId: string, menu: string, id: string): Promise<void> {
    this.counter.write(routerId);
    await this.menu(routerId, menu).remove(id);
  }

  async move(routerId: string, menu: string, id: string, before?: string): Promise<void> {
    this.counter.write(routerId);
    await this.menu(routerId, menu).move(id, before);
  }

  async kick(routerId: string, usernames: Iterable<string>, parallel?: number): Promise<KickResult> {
    this.counter.read();
    const result = await new RouterCommands(this.pool, routerId).kick(usernames, parallel);
    for (let i = 0; i < result.kicked; i++) this.counter.write(routerId);
    return result;
  }
}
