import type { RosRow } from '../client/ros-connection';
import type { CallOptions } from '../pool/router-connection-pool';

/** Sends one command to one router (bound to a pool + router id by RouterCommands). */
export type CommandRunner = (words: string[], options?: CallOptions) => Promise<RosRow[]>;

export interface MenuPrintOptions {
  /** `.proplist`: only these fields come back (keeps a 2,000-row print small). */
  proplist?: readonly string[];
  /** `?key=value` queries, ANDed: one print answers "which of these exist". */
  where?: Readonly<Record<string, string>>;
  /** `?key=value` queries, ORed (`?#|`); used alone, not with `where`. */
  anyOf?: readonly (readonly [string, string])[];
  /** raw query words for the rest (`?>comment=`) */
  query?: readonly string[];
}

/** Attribute values as RouterOS spells them: booleans are yes/no, the rest strings. */
export type MenuProps = Readonly<Record<string, string | number | boolean | undefined>>;

function value(v: string | number | boolean): string {
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

function attributeWords(props: MenuProps): string[] {
  return Object.entries(props)
    .filter((e): e is [string, string | number | boolean] => e[1] !== undefined && e[0] !== '.id')
    .map(([k, v]) => `=${k}=${value(v)}`);
}

function ids(id: string | readonly string[]): string {
  return typeof id === 'string' ? id : id.join(',');
}

/** The words of a print (docs/routeros.md §6: queries are a stack; n ORed terms need n-1 `|`). */
export function printWords(path: string, options: MenuPrintOptions = {}): string[] {
  const words = [`${path}/print`];
  if (options.proplist?.length) words.push(`=.proplist=${options.proplist.join(',')}`);
  for (const [k, v] of Object.entries(options.where ?? {})) words.push(`?${k}=${v}`);
  if (options.anyOf?.length) {
    words.push(...options.anyOf.map(([k, v]) => `?${k}=${v}`));
    if (options.anyOf.length > 1) words.push(`?#${'|'.repeat(options.anyOf.length - 1)}`);
  }
  if (options.query) words.push(...options.query);
  return words;
}

/**
 * CRUD on one menu (`/ppp/secret`, ...), the one way this code reads and writes router tables.
 * Rows are exactly what the router sent: RouterOS's own field names (`remote-address`, `.id`)
 * and string values, so a username "00123" or a comment "true" is never turned into a number or
 * a boolean, and a reconcile compares like with like (docs/routeros.md §8).
 */
export class RosMenu {
  constructor(
    private readonly run: CommandRunner,
    readonly path: string,
  ) {}

  print(options: MenuPrintOptions = {}): Promise<RosRow[]> {
    return this.run(printWords(this.path, options));
  }

  /** The first row matching `where`, or undefined. */
  async find(where: MenuPrintOptions['where'], proplist?: readonly string[]): Promise<RosRow | undefined> {
    return (await this.print({ where, proplist }))[0];
  }

  /** Adds an item and returns its new `.id` (RouterOS answers `!done =ret=*ID`). */
  async add(props: MenuProps): Promise<string> {
    const rows = await this.run([`${this.path}/add`, ...attributeWords(props)]);
    const ret = rows.find((r) => r.ret !== undefined)?.ret;
    if (!ret) throw new Error(`${this.path}/add returned no id`);
    return ret;
  }

  async set(id: string | readonly string[], props: MenuProps): Promise<void> {
    await this.run([`${this.path}/set`, `=.id=${ids(id)}`, ...attributeWords(props)]);
  }

  async remove(id: string | readonly string[]): Promise<void> {
    await this.run([`${this.path}/remove`, `=.id=${ids(id)}`]);
  }

  /**
   * Moves items right before `before` (undefined: to the end), for menus whose order matters
   * (firewall rules; docs/routeros.md §7).
   */
  async move(id: string | readonly string[], before?: string): Promise<void> {
    await this.run([`${this.path}/move`, `=numbers=${ids(id)}`, ...(before === undefined ? [] : [`=destination=${before}`])]);
  }

  async enable(id: string | readonly string[]): Promise<void> {
    await this.run([`${this.path}/enable`, `=.id=${ids(id)}`]);
  }

  async disable(id: string | readonly string[]): Promise<void> {
    await this.run([`${this.path}/disable`, `=.id=${ids(id)}`]);
  }
}
