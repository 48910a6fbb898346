/**
 * What diagnostics needs from the routers, and nothing more: a /ping from the router that owns a
 * device, and an API round trip to a router. The production adapter sits on libs/routeros'
 * connection pool; tests may plug the simulator-backed adapter or a scripted one.
 */
export interface PingOutcome {
  sent: number;
  received: number;
  /** average round trip of the answered echoes */
  rttMs?: number;
}

/** A router's current sessions as printed: `/ppp/active` and, when asked, its DHCP leases. */
export interface RouterSessions {
  pppActive: Record<string, string | undefined>[];
  leases?: Record<string, string | undefined>[];
}

export interface Prober {
  /** Runs `/ping address count=N` on the router. Throws when the router cannot be asked. */
  ping(routerId: string, address: string, opts: { count: number; timeoutMs: number }): Promise<PingOutcome>;
  /** One cheap API call (identity) on the pooled connection. Throws when the router does not answer. */
  roundTrip(routerId: string, opts: { timeoutMs: number }): Promise<{ rttMs: number }>;
  /** The router's sessions (heartbeat presence reconcile); absent: this prober cannot read them. Throws when the router cannot be asked. */
  sessions?(routerId: string, opts: { timeoutMs: number; leases: boolean }): Promise<RouterSessions>;
  /** Pool figures for the heartbeat benchmark (optional). */
  stats?(): { connectionsOpened: number; reconnects: number; openConnections: number };
  /** Drop what is known about a router (its credentials or address changed). */
  forget?(routerId: string): void;
}

export const PROBER = Symbol('PROBER');
