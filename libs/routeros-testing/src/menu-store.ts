import { matchesQuery } from './query-engine';

/**
 * The router's configuration menus as in-memory tables, and the generic verbs on them: print
 * (with queries and `.proplist`), add, set, enable, disable, remove, with RouterOS's `.id`
 * format, required fields, uniqueness traps and boolean spelling.
 */

export type Row = Record<string, string>;

/** A `!trap` reply; category numbers as RouterOS sends them. */
export class Trap extends Error {
  constructor(
    message: string,
    readonly category?: number,
  ) {
    super(message);
  }
}

export interface Reply {
  rows: Row[];
  done?: Row;
}

export class Table {
  readonly rows = new Map<string, Row>();
  constructor(private nextId: number) {}
  insert(row: Row): string {
    const id = `*${(this.nextId++).toString(16).toUpperCase()}`;
    this.rows.set(id, { '.id': id, ...row });
    return id;
  }
  /** `.id` list, or names (RouterOS accepts `=.id=ether1`) */
  resolve(ref: string): string[] | undefined {
    const out: string[] = [];
    for (const part of ref.split(',')) {
      if (this.rows.has(part)) out.push(part);
      else {
        const byName = this.findBy('name', part);
        if (!byName) return undefined;
        out.push(byName['.id']);
      }
    }
    return out;
  }
  /** Puts rows `ids` right before `before` (undefined: at the end), keeping their order: the router's `move`. */
  moveBefore(ids: string[], before: string | undefined): void {
    const moving = ids.map((id) => this.rows.get(id)!);
    const rest = [...this.rows.values()].filter((r) => !ids.includes(r['.id']));
    const at = before === undefined ? rest.length : rest.findIndex((r) => r['.id'] === before);
    const order = [...rest.slice(0, at), ...moving, ...rest.slice(at)];
    this.rows.clear();
    for (const r of order) this.rows.set(r['.id'], r);
  }

  /** Walks the rows without copying them: a router with thousands of sessions is asked this per session. */
  findBy(field: string, value: string): Row | undefined {
    for (const r of this.rows.values()) if (r[field] === value) return r;
    return undefined;
  }
}

const BOOLEAN_FIELDS = new Set(['disabled', 'dynamic', 'invalid', 'default', 'radius', 'dont-require-permissions', 'log', 'block-access']);

/** Menus where the order of rows means something (firewall rules): `add place-before=` and `move`. */
const ORDERED = new Set(['/ip/firewall/filter', '/ip/firewall/nat']);

export const MENUS: Record<string, { required: string[]; unique?: string[]; duplicate?: string; defaults?: Row }> = {
  '/ppp/secret': { required: ['name'], unique: ['name'], duplicate: 'failure: secret with the same name already exists', defaults: { service: 'any', profile: 'default', disabled: 'false' } },
  '/ppp/profile': { required: ['name'], unique: ['name'], duplicate: 'failure: profile with the same name already exists' },
  '/ppp/active': { required: ['name'] },
  '/queue/simple': { required: ['target'], unique: ['name'], duplicate: 'failure: queue with such name already exists', defaults: { disabled: 'false', dynamic: 'false' } },
  '/ip/firewall/address-list': { required: ['list', 'address'], unique: ['list+address'], duplicate: 'failure: already have such entry', defaults: { disabled: 'false', dynamic: 'false' } },
  '/ip/dhcp-server': { required: ['name'], unique: ['name'], duplicate: 'failure: server with such name already exists', defaults: { 'lease-script': '', disabled: 'false' } },
  '/ip/dhcp-server/lease': { required: ['address'], defaults: { disabled: 'false', dynamic: 'false' } },
  '/ip/firewall/filter': { required: ['chain'], defaults: { action: 'accept', disabled: 'false', dynamic: 'false', invalid: 'false', log: 'false' } },
  '/ip/firewall/nat': { required: ['chain'], defaults: { action: 'accept', disabled: 'false', dynamic: 'false', invalid: 'false', log: 'false' } },
  '/tool/netwatch': { required: ['host'], defaults: { disabled: 'false', interval: '10s', timeout: '1s', 'up-script': '', 'down-script': '' } },
  '/system/script': { required: ['name'], unique: ['name'], duplicate: 'failure: script with such name already exists', defaults: { owner: 'admin', policy: 'ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon', 'run-count': '0', 'dont-require-permissions': 'false' } },
};

export function normalise(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) out[k] = BOOLEAN_FIELDS.has(k) ? String(v === 'yes' || v === 'true') : v;
  return out;
}

export function project(row: Row, proplist: string | undefined): Row {
  if (proplist === undefined) return row;
  const out: Row = {};
  for (const k of proplist.split(',')) if (k && row[k] !== undefined) out[k] = row[k];
  return out;
}

function withoutIds(a: Row): Row {
  const out: Row = { ...a };
  delete out['.id'];
  delete out.numbers;
  delete out['.proplist'];
  return out;
}

/** What a table verb needs from the rest of the router. */
export interface MenuEffects {
  /** netwatch status of a host */
  isReachable(ip: string): boolean;
  /** removing a `/ppp/active` row ends that session (on-down runs, the subscriber redials) */
  endSession(name: string): void;
}

export class MenuStore {
  private readonly tables = new Map<string, Table>();

  constructor(private readonly effects: MenuEffects) {
    for (const path of Object.keys(MENUS)) this.tables.set(path, new Table(path === '/ppp/active' ? 0x80000001 : 1));
    const profiles = this.table('/ppp/profile');
    profiles.rows.set('*0', { '.id': '*0', name: 'default', 'on-up': '', 'on-down': '', default: 'true' });
    profiles.rows.set('*FFFFFFFE', { '.id': '*FFFFFFFE', name: 'default-encryption', 'on-up': '', 'on-down': '', default: 'true' });
    this.table('/ip/dhcp-server').insert({ name: 'dhcp1', interface: 'bridge', 'address-pool': 'dhcp_pool0', 'lease-time': '10m', 'lease-script': '', disabled: 'false', invalid: 'false' });
  }

  has(path: string): boolean {
    return this.tables.has(path);
  }

  /** A menu the store holds (throws for a path it does not: a simulator bug, not a trap). */
  table(path: string): Table {
    const t = this.tables.get(path);
    if (!t) throw new Error(`simulated router: no menu ${path}`);
    return t;
  }

  /** A copy of a menu's rows, for inspection by tests. */
  snapshot(path: string): Row[] {
    const t = this.tables.get(path);
    return t ? [...t.rows.values()].map((r) => ({ ...r })) : [];
  }

  /** Runs `verb` on the menu at `path`. */
  execute(path: string, verb: string, a: Row, queries: string[]): Reply {
    const table = this.tables.get(path);
    if (!table) throw new Trap('no such command prefix', 0);
    switch (verb) {
      case 'print':
      case 'getall':
        return { rows: [...table.rows.values()].filter((r) => matchesQuery(r, queries)).map((r) => project(r, a['.proplist'])) };
      case 'add':
        return { rows: [], done: { ret: this.add(path, table, a) } };
      case 'set':
      case 'enable':
      case 'disable': {
        const ids = this.resolve(table, a['.id'] ?? a.numbers);
        const patch: Row = verb === 'set' ? normalise(withoutIds(a)) : { disabled: String(verb === 'disable') };
        for (const id of ids) this.update(path, table, id, patch);
        return { rows: [] };
      }
      case 'move': {
        if (!ORDERED.has(path)) throw new Trap('no such command', 0);
        const ids = this.resolve(table, a.numbers ?? a['.id']);
        const dest = a.destination === undefined ? undefined : this.resolve(table, a.destination)[0];
        table.moveBefore(ids, dest);
        return { rows: [] };
      }
      case 'remove': {
        for (const id of this.resolve(table, a['.id'] ?? a.numbers)) {
          const row = table.rows.get(id)!;
          if (path === '/ppp/active') this.effects.endSession(row.name);
          else table.rows.delete(id);
        }
        return { rows: [] };
      }
      default:
        throw new Trap('no such command', 0);
    }
  }

  /** `.id`s of a reference, or the "no such item" trap. */
  resolve(table: Table, ref: string | undefined): string[] {
    const ids = table.resolve(ref ?? '');
    if (!ids) throw new Trap('no such item', 0);
    return ids;
  }

  private add(path: string, table: Table, a: Row): string {
    const spec = MENUS[path];
    if (path === '/ppp/active') throw new Trap('failure: cannot add active connections', 1);
    const { 'place-before': placeBefore, ...attrs } = a;
    if (placeBefore !== undefined && !ORDERED.has(path)) throw new Trap('unknown parameter place-before', 1);
    const before = placeBefore === undefined ? undefined : this.resolve(table, placeBefore)[0];
    const row = normalise({ ...(spec.defaults ?? {}), ...withoutIds(attrs) });
    if (path === '/queue/simple' && !row.name) row.name = `queue${table.rows.size + 1}`;
    for (const field of spec.required) if (!row[field]) throw new Trap(`failure: ${field} not specified`, 1);
    for (const u of spec.unique ?? []) {
      const keys = u.split('+');
      if ([...table.rows.values()].some((r) => keys.every((k) => r[k] === row[k]))) throw new Trap(spec.duplicate ?? 'failure: already have such entry', 1);
    }
    if (path === '/ip/firewall/address-list') row['creation-time'] = new Date().toISOString().replace('T', ' ').slice(0, 19);
    if (path === '/tool/netwatch') {
      row.status = this.effects.isReachable(row.host) ? 'up' : 'down';
      row.since = new Date().toISOString();
    }
    const id = table.insert(row);
    if (before !== undefined) table.moveBefore([id], before);
    return id;
  }

  private update(path: string, table: Table, id: string, patch: Row): void {
    const row = table.rows.get(id)!;
    for (const u of MENUS[path]?.unique ?? []) {
      const keys = u.split('+');
      if (!keys.some((k) => k in patch)) continue;
      const next = { ...row, ...patch };
      if ([...table.rows.values()].some((r) => r['.id'] !== id && keys.every((k) => r[k] === next[k]))) throw new Trap(MENUS[path].duplicate ?? 'failure: already have such entry', 1);
    }
    Object.assign(row, patch);
    if (path === '/tool/netwatch' && 'host' in patch) row.status = this.effects.isReachable(row.host) ? 'up' : 'down';
  }
}
