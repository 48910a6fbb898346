import { normaliseMac } from '../model/mac-address';
import type { ServiceType } from '../model/network.types';
import { NodeState } from '../node-state';
import { RECONCILE_SOURCE, type StatusEventJob } from '../queues/job-catalogue';

/** What the database believes about one subscriber's session. */
export interface StoredPresence {
  id: string;
  username: string;
  serviceType: ServiceType;
  macAddress?: string | null;
  isOnline: boolean;
  state: NodeState;
  stateSince?: Date | null;
  isSuspended: boolean;
  currentAddress?: string | null;
  callerId?: string | null;
}

/** Rows as the router printed them (only the properties read here). */
export type RouterRow = Record<string, string | undefined>;

export interface PresenceInput {
  routerId: string;
  /** Stored state, read BEFORE the router's tables: a change after the read shows as a difference the next pass undoes, never as a stale one applied. */
  stored: StoredPresence[];
  /** `/ppp/active` rows (name, address, caller-id). */
  pppActive: RouterRow[];
  /** `/ip/dhcp-server/lease` rows (mac-address, address or active-address, status); undefined: not read. */
  leases?: RouterRow[];
  /** When the router's tables were read: the synthetic events' time. */
  observedAt: Date;
  /** A stored state younger than this is left alone: its own event may still be on its way. */
  graceMs: number;
  /**
   * Subscribers whose DOWN is already held or being diagnosed (their stored state is written when
   * the batch is): another DOWN for them adds nothing but load, so none is made.
   */
  heldDown?: ReadonlySet<string>;
}

/**
 * The differences between the router and the database as status events (source `reconcile`),
 * for the same pipeline the webhooks feed: a subscriber stored online whose session is gone gets
 * a DOWN (held and walked like any other), one stored offline whose session is there an UP; a
 * suspension the state does not show yet (or a lifted one it still shows) and a session whose
 * address or caller id changed get the event of what the router shows. Static-IP subscribers
 * have no session to compare and are skipped; so is everyone when the router's table was not read.
 */
export function presenceEvents(i: PresenceInput): StatusEventJob[] {
  const sessions = new Map(i.pppActive.filter((r) => r.name).map((r) => [r.name!, r]));
  const bound = new Map<string, RouterRow>();
  for (const l of i.leases ?? []) {
    const mac = normaliseMac(l['mac-address'] ?? l['active-mac-address'] ?? '');
    if (mac && (l.status === undefined || l.status === 'bound')) bound.set(mac, l);
  }
  const at = i.observedAt.toISOString();
  const out: StatusEventJob[] = [];
  for (const u of i.stored) {
    if (u.stateSince && i.observedAt.getTime() - new Date(u.stateSince).getTime() < i.graceMs) continue;
    let online: boolean;
    let address: string | undefined;
    let callerId: string | undefined;
    let subject: StatusEventJob['subject'];
    if (u.serviceType === 'pppoe') {
      const s = sessions.get(u.username);
      online = !!s;
      address = s?.address || undefined;
      callerId = s?.['caller-id'] ? (normaliseMac(s['caller-id']) ?? s['caller-id']) : undefined;
      subject = { kind: 'ppp', username: u.username };
    } else if (u.serviceType === 'dhcp' && i.leases) {
      const mac = u.macAddress ? normaliseMac(u.macAddress) : undefined;
      if (!mac) continue;
      const l = bound.get(mac);
      online = !!l;
      address = l?.['active-address'] || l?.address || undefined;
      subject = { kind: 'dhcp', mac, ...(address && { ip: address }) };
    } else continue;

    const suspensionShown = u.state === NodeState.SUSPENDED;
    const differs =
      online !== u.isOnline ||
      u.isSuspended !== suspensionShown ||
      (online && ((address !== undefined && address !== (u.currentAddress ?? undefined)) || (callerId !== undefined && callerId !== (u.callerId ?? undefined))));
    if (!differs) continue;
    if (!online && i.heldDown?.has(u.id)) continue;
    const details: Record<string, string> = {};
    if (address && subject.kind === 'ppp') details.address = address;
    if (callerId) details.callerId = callerId;
    out.push({
      routerId: i.routerId,
      source: RECONCILE_SOURCE,
      subject,
      event: online ? 'up' : 'down',
      at,
      receivedAt: at,
      ...(Object.keys(details).length && { details }),
    });
  }
  return out;
}
