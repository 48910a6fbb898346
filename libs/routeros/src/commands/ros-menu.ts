import type { RosRow } from '../client/ros-connection';
import type { CallOptions } from '../pool/router-connection-pool';

/** Sends one command to one router (bound to a pool + router id by RouterCommands). */
export type CommandRunner = (words: string[], options?: CallOptions) => Promise<RosRow[]>;

/** Every menu item has the RouterOS `.id` (exposed as `id`, e.g. "*1A"). */
export interface RosItem {
  id: string;
}

export type Writable<T extends RosItem> = Partial<Omit<T, 'id'>>;

export interface PrintOptions<T extends RosItem> {
  /** equality filters, ANDed: one print answers "which of these exist" */
  where?: Partial<{ [K in keyof T]: T[K] }>;
  /** fields to fetch (`.proplist`): ask only for what you use */
  proplist?: readonly (keyof T & string)[];
  /** raw query words for the rest (`?>comment=`, `?#|`) */
  query?: readonly string[];
}

/** `remoteAddress` -> `remote-address`, `id` -> `.id` */
export function toRosKey(key: string): string {
  if (key === 'id') return '.id';
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `remote-address` -> `remoteAddress`, `.id` -> `id` */
export function fromRosKey(key: string): string {
  if (key === '.id') return 'id';
  return key.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function toRosValue(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/**
 * CRUD on one menu (`/ppp/secret`, ...). Values stay the strings the router sent; only the
 * fields named as booleans become booleans, so a username "00123" or a comment "true" is
 * never turned into a number or a boolean.
 */
export class RosMenu<T extends RosItem> {
  constructor(
    protected readonly run: CommandRunner,
    readonly path: string,
    private readonly booleanFields: readonly string[] = ['disabled', 'dynamic', 'invalid'],
  ) {}

  async print(options: PrintOptions<T> = {}): Promise<T[]> {
    const words = [`${this.path}/print`];
    if (options.proplist?.length) words.push(`=.proplist=${options.proplist.map(toRosKey).join(',')}`);
    for (const [k, v] of Object.entries(options.where ?? {})) {
      if (v !== undefined) words.push(`?${toRosKey(k)}=${typeof v === 'boolean' ? String(v) : String(v)}`);
    }
    if (options.query) words.push(...options.query);
    const rows = await this.run(words);
    return rows.map((r) => this.toItem(r));
  }

  /** The first item matching `where`, or undefined. */
  async find(where: PrintOptions<T>['where'], proplist?: PrintOptions<T>['proplist']): Promise<T | undefined> {
    return (await this.print({ where, proplist }))[0];
  }

  /** Adds an item and returns its new `.id` (RouterOS answers `!done =ret=*ID`). */
  async add(item: Writable<T>): Promise<string> {
    const rows = await this.run([`${this.path}/add`, ...this.attributeWords(item)]);
    const ret = rows.find((r) => r.ret !== undefined)?.ret;
    if (!ret) throw new Error(`${this.path}/add returned no id`);
    return ret;
  }

  async set(id: string | readonly string[], patch: Writable<T>): Promise<void> {
    await this.run([`${this.path}/set`, `=.id=${ids(id)}`, ...this.attributeWords(patch)]);
  }

  async remove(id: string | readonly string[]): Promise<void> {
    await this.run([`${this.path}/remove`, `=.id=${ids(id)}`]);
  }

  async enable(id: string | readonly string[]): Promise<void> {
    await this.run([`${this.path}/enable`, `=.id=${ids(id)}`]);
  }

  async disable(id: string | readonly string[]): Promise<void> {
    await this.run([`${this.path}/disable`, `=.id=${ids(id)}`]);
  }

  protected attributeWords(item: object): string[] {
    return Object.entries(item)
      .filter(([k, v]) => v !== undefined && k !== 'id')
      .map(([k, v]) => `=${toRosKey(k)}=${toRosValue(v)}`);
  }

  protected toItem(row: RosRow): T {
    const out: Record<string, string | boolean> = {};
    for (const [k, v] of Object.entries(row)) {
      const key = fromRosKey(k);
      out[key] = this.booleanFields.includes(key) ? v === 'true' || v === 'yes' : v;
    }
    return out as unknown as T;
  }
}

function ids(id: string | readonly string[]): string {
  return typeof id === 'string' ? id : id.join(',');
}
