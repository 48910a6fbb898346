import type { RosRow } from '../router-access/router-api';
import { parseTag } from './managed-tag';
import { Menu, type RouterOp } from './router-ops';

/** What a subscriber left on a router it no longer is on (moved away): its id and the names it had there. */
export interface Departure {
  userId: string;
  names: string[];
}

export interface DepartureObserved {
  secrets: RosRow[];
  queues: RosRow[];
  addressList: RosRow[];
  leases?: RosRow[];
  active: RosRow[];
}

const isDynamic = (r: RosRow) => r.dynamic === 'true' || r.dynamic === 'yes';
const ownedBy = (userId: string) => (r: RosRow) => {
  const t = parseTag(r.comment);
  return t?.kind === 'user' && t.id === userId && !isDynamic(r);
};

/**
 * Everything of ours a moved subscriber left on its old router goes: its secret under an old
 * name, its queue, its list entries, its lease, and the session under an old name is ended. A
 * secret carrying its tag under another name is a copy someone made (left alone, as on its own
 * router). `takenNames`: names another subscriber of that router has now; their sessions are
 * not ours to end. Done when this returns nothing. Pure.
 */
export function planDeparture(d: Departure, observed: DepartureObserved, takenNames: ReadonlySet<string> = new Set()): RouterOp[] {
  const mine = ownedBy(d.userId);
  const ops: RouterOp[] = [];
  const why = (what: string) => `${what}: subscriber moved away`;
  for (const r of observed.secrets) {
    if (mine(r) && d.names.includes(r.name)) ops.push({ op: 'remove', menu: Menu.SECRET, id: r['.id'], why: why(`secret ${r.name}`), userId: d.userId });
  }
  for (const r of observed.queues) if (mine(r)) ops.push({ op: 'remove', menu: Menu.QUEUE, id: r['.id'], why: why(`queue ${r.name}`), userId: d.userId });
  for (const r of observed.addressList) if (mine(r)) ops.push({ op: 'remove', menu: Menu.ADDRESS_LIST, id: r['.id'], why: why(`list entry ${r.list} ${r.address}`), userId: d.userId });
  for (const r of observed.leases ?? []) if (mine(r)) ops.push({ op: 'remove', menu: Menu.LEASE, id: r['.id'], why: why(`lease ${r.address}`), userId: d.userId });
  const kicked = new Set<string>();
  for (const r of observed.active) {
    if (!d.names.includes(r.name) || takenNames.has(r.name) || kicked.has(r.name)) continue;
    kicked.add(r.name);
    ops.push({ op: 'kick', username: r.name, why: why(`session ${r.name}`), userId: d.userId });
  }
  return ops;
}
