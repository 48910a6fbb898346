import type { RouterConnectionPool } from '@isp/routeros';
import type { PrintOptions, RosRow, RouterApi, RouterCallCounter } from './router-api';

function attrs(props: Record<string, string>): string[] {
  return Object.entries(props).map(([k, v]) => `=${k}=${v}`);
}

/** The RouterApi port over libs/routeros' connection pool: raw API words, values as strings. */
export class PoolRouterApi implements RouterApi {
  constructor(
    private readonly pool: RouterConnectionPool,
    private readonly counter: RouterCallCounter,
  ) {}

  async print(routerId: string, menu: string, opts: PrintOptions): Promise<RosRow[]> {
    const words = [`${menu}/print`, `=.proplist=${opts.proplist.join(',')}`, ...Object.entries(opts.where ?? {}).map(([k, v]) => `?${k}=${v}`)];
    if (opts.anyOf?.length) {
      words.push(...opts.anyOf.map(([k, v]) => `?${k}=${v}`));
      // n conditions need n-1 ORs: `?#|` pops two and pushes their OR.
      if (opts.anyOf.length > 1) words.push(`?#${'|'.repeat(opts.anyOf.length - 1)}`);
    }
    this.counter.read();
    return this.pool.execute(routerId, words);
  }

  async add(routerId: string, menu: string, props: Record<string, string>): Promise<void> {
    this.counter.write(routerId);
    await this.pool.execute(routerId, [`${menu}/add`, ...attrs(props)]);
  }

  async set(routerId: string, menu: string, id: string, props: Record<string, string>): Promise<void> {
    this.counter.write(routerId);
    await this.pool.execute(routerId, [`${menu}/set`, `=.id=${id}`, ...attrs(props)]);
  }

  async remove(routerId: string, menu: string, id: string): Promise<void> {
    this.counter.write(routerId);
    await this.pool.execute(routerId, [`${menu}/remove`, `=.id=${id}`]);
  }
}
