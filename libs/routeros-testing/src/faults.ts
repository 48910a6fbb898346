/**
 * Fault state of one simulated router. The parts consult it: the wire server (hang, cut reply,
 * latency, refused login), the script host (dropped webhooks, clock offset). Router-wide faults
 * that move several parts at once (router down, reboot) are orchestrated by SimulatedRouter.
 */

/** Which snitch event a hook belongs to. */
export type HookKind = 'ppp' | 'dhcp' | 'netwatch';
export const HOOK_KINDS: readonly HookKind[] = ['ppp', 'dhcp', 'netwatch'];

export interface WebhookDrop {
  /** only hooks of this kind (default: every kind) */
  kind?: HookKind;
  /** only the next N matching POSTs (default: until cleared) */
  count?: number;
}

/** One command (`/ppp/active/remove`) refused with a trap or its connection dropped before it runs. */
export interface CommandFault {
  command: string;
  mode: 'trap' | 'drop';
  /** only the next N calls (default: until cleared) */
  count?: number;
}

export class RouterFaults {
  /** the API reads commands but never answers */
  hung = false;
  /** the next reply is cut in half and the connection dropped */
  dropNextReply = false;
  /** every reply waits this long (a connection's first one twice as long: its TCP handshake) */
  apiLatencyMs = 0;
  /** every API login is refused as if the password were wrong */
  refuseLogin = false;
  /** the router's clock is this far from the real one (scripts' timestamps) */
  clockOffsetMs = 0;
  /** scripts' POSTs wait (a slow or reordering path to ingest) until released */
  holdWebhooks = false;
  private webhookDrop?: { kind?: HookKind; remaining: number };
  private readonly commandFaults = new Map<string, { mode: 'trap' | 'drop'; remaining: number }>();

  failCommand(f: CommandFault): void {
    if (!f.command.startsWith('/')) throw new Error('command must be a path such as /ppp/active/remove');
    if (f.mode !== 'trap' && f.mode !== 'drop') throw new Error('mode must be trap or drop');
    if (f.count !== undefined && !(Number.isInteger(f.count) && f.count > 0)) throw new Error('count must be a positive integer');
    this.commandFaults.set(f.command, { mode: f.mode, remaining: f.count ?? Infinity });
  }

  clearCommandFaults(): void {
    this.commandFaults.clear();
  }

  /** The fault this call of `command` meets, if any; counts it against `count`. */
  takeCommandFault(command: string): 'trap' | 'drop' | undefined {
    const f = this.commandFaults.get(command);
    if (!f) return undefined;
    if (--f.remaining <= 0) this.commandFaults.delete(command);
    return f.mode;
  }

  dropWebhooks(d: WebhookDrop = {}): void {
    if (d.kind !== undefined && !HOOK_KINDS.includes(d.kind)) throw new Error(`kind must be one of ${HOOK_KINDS.join(', ')}`);
    if (d.count !== undefined && !(Number.isInteger(d.count) && d.count > 0)) throw new Error('count must be a positive integer');
    this.webhookDrop = { kind: d.kind, remaining: d.count ?? Infinity };
  }

  deliverWebhooks(): void {
    this.webhookDrop = undefined;
  }

  /** Whether the POST of a hook of this kind is lost; counts it against `count`. */
  takeWebhookDrop(kind: HookKind): boolean {
    const d = this.webhookDrop;
    if (!d || (d.kind && d.kind !== kind)) return false;
    if (--d.remaining <= 0) this.webhookDrop = undefined;
    return true;
  }

  /** The router's idea of now. */
  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }
}
