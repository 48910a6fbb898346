import type { KickResult, MenuPrintOptions, MenuProps, RosRow } from '@isp/routeros';

export type { RosRow };
/** Prints always name their fields here: a 2,000-row print stays small. */
export type PrintOptions = MenuPrintOptions & { proplist: readonly string[] };

/**
 * The narrow port provisioning needs from a router: print, add, set, remove on a menu path
 * (`/ppp/secret`, `/queue/simple`...) and the kick, over libs/routeros' RouterCommands (the one
 * RouterOS menu layer); this port only adds call counting and a seam for tests. Everything routes through the pool (one connection and a
 * concurrency limit per router), so the services never open connections themselves. Errors are
 * libs/routeros' typed errors: RetryableError (unreachable, timeout) or PermanentError (login
 * refused, `!trap` about the request).
 */
export interface RouterApi {
  print(routerId: string, menu: string, opts: PrintOptions): Promise<RosRow[]>;
  add(routerId: string, menu: string, props: MenuProps): Promise<void>;
  set(routerId: string, menu: string, id: string, props: MenuProps): Promise<void>;
  remove(routerId: string, menu: string, id: string): Promise<void>;
  /** Moves a row right before another (undefined: to the end) in an ordered menu (firewall rules). */
  move(routerId: string, menu: string, id: string, before?: string): Promise<void>;
  /** Ends these users' PPP sessions (one print, then one remove per session). */
  kick(routerId: string, usernames: Iterable<string>, parallel?: number): Promise<KickResult>;
}

export const ROUTER_API = Symbol('ROUTER_API');

/** Counts calls per router: how tests and the benchmark see "writes only where different". */
export class RouterCallCounter {
  calls = 0;
  writes = 0;
  reads = 0;
  readonly writesByRouter = new Map<string, number>();

  read(): void {
    this.calls++;
    this.reads++;
  }

  write(routerId: string): void {
    this.calls++;
    this.writes++;
    this.writesByRouter.set(routerId, (this.writesByRouter.get(routerId) ?? 0) + 1);
  }

  snapshot(): { calls: number; writes: number; reads: number } {
    return { calls: this.calls, writes: this.writes, reads: this.reads };
  }
}
