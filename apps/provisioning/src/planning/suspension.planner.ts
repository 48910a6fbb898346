import type { RosRow } from '../router-access/router-api';
import { firewallTag, parseFirewallTag } from './managed-tag';
import { addProps, diffProps, Menu, type RouterOp } from './router-ops';

/**
 * The router side of a suspension that cuts off (docs/routeros.md §7): suspended addresses go
 * into one address list, and a few forward-chain rules, first in that chain, let the list reach
 * DNS and the walled garden (payment portal) and drop everything else it sends. Rules placed
 * lower would be bypassed by a fasttrack or accept rule above them, so the position is part of
 * the desired state.
 */
export interface SuspensionPolicy {
  /** the address list of suspended addresses */
  list: string;
  /** the address list of the walled garden (payment portal) */
  gardenList: string;
  /** addresses or prefixes suspended subscribers may still reach */
  garden: readonly string[];
}

export const FILTER_PROPLIST = ['.id', 'chain', 'action', 'src-address-list', 'dst-address-list', 'protocol', 'dst-port', 'disabled', 'dynamic', 'comment'] as const;

export interface DesiredRule {
  key: string;
  props: Record<string, string>;
}

/** Our rules, in the order they must sit at the top of the forward chain. */
export function desiredSuspensionRules(p: SuspensionPolicy): DesiredRule[] {
  const rule = (key: string, props: Record<string, string>): DesiredRule => ({
    key,
    props: { chain: 'forward', 'src-address-list': p.list, ...props, disabled: 'no', comment: firewallTag(key) },
  });
  return [
    rule('suspended-dns-udp', { action: 'accept', protocol: 'udp', 'dst-port': '53' }),
    rule('suspended-dns-tcp', { action: 'accept', protocol: 'tcp', 'dst-port': '53' }),
    ...(p.garden.length ? [rule('suspended-garden', { action: 'accept', 'dst-address-list': p.gardenList })] : []),
    rule('suspended-drop', { action: 'drop' }),
  ];
}

const GARDEN_KEY = 'walled-garden';
const isDynamic = (r: RosRow) => r.dynamic === 'true' || r.dynamic === 'yes';

export interface SuspensionPlanInput {
  policy: SuspensionPolicy;
  /** every `/ip/firewall/filter` row, in the router's order */
  filter: RosRow[];
  /** the walled-garden list's entries */
  garden: RosRow[];
}

/**
 * Rules and walled-garden entries: writes only what differs. Ops are in the order they must be
 * applied (one at a time): removals, field repairs, then adds and moves that put our rules, in
 * order, right before the first forward rule that is not ours. Rows without our tag are never
 * touched. Pure.
 */
export function planSuspension(input: SuspensionPlanInput): RouterOp[] {
  const ops: RouterOp[] = [];
  const desired = desiredSuspensionRules(input.policy);
  const wanted = new Set(desired.map((d) => d.key));
  const forward = input.filter.filter((r) => r.chain === 'forward' && !isDynamic(r));
  const byKey = new Map<string, RosRow>();
  const removed = new Set<string>();
  for (const r of input.filter) {
    const key = parseFirewallTag(r.comment);
    if (!key || isDynamic(r)) continue;
    if (wanted.has(key) && !byKey.has(key) && r.chain === 'forward') byKey.set(key, r);
    else {
      removed.add(r['.id']);
      ops.push({ op: 'remove', menu: Menu.FILTER, id: r['.id'], why: `suspension rule ${key}: stale or duplicate` });
    }
  }
  for (const d of desired) {
    const row = byKey.get(d.key);
    if (!row) continue;
    const diff = diffProps(row, d.props);
    if (Object.keys(diff).length) ops.push({ op: 'set', menu: Menu.FILTER, id: row['.id'], props: diff, why: `suspension rule ${d.key}: ${Object.keys(diff).join(',')}` });
  }
  const remaining = forward.filter((r) => !removed.has(r['.id']));
  const top = remaining.slice(0, desired.length).map((r) => r['.id']);
  const inPlace = desired.every((d, i) => byKey.get(d.key)?.['.id'] === top[i]);
  if (!inPlace) {
    const anchor = remaining.find((r) => !parseFirewallTag(r.comment))?.['.id'];
    for (const d of desired) {
      const row = byKey.get(d.key);
      if (row) ops.push({ op: 'move', menu: Menu.FILTER, id: row['.id'], before: anchor, why: `suspension rule ${d.key}: not first in the forward chain` });
      else ops.push({ op: 'add', menu: Menu.FILTER, props: { ...addProps(d.props), ...(anchor && { 'place-before': anchor }) }, why: `suspension rule ${d.key} missing` });
    }
  }

  const gardenWanted = new Set(input.policy.garden);
  const present = new Set<string>();
  for (const r of input.garden) {
    present.add(r.address);
    if (parseFirewallTag(r.comment) === GARDEN_KEY && !gardenWanted.has(r.address)) {
      ops.push({ op: 'remove', menu: Menu.ADDRESS_LIST, id: r['.id'], why: `walled garden: ${r.address} no longer configured` });
    }
  }
  for (const address of input.policy.garden) {
    if (!present.has(address)) ops.push({ op: 'add', menu: Menu.ADDRESS_LIST, props: { list: input.policy.gardenList, address, comment: firewallTag(GARDEN_KEY) }, why: `walled garden: ${address} missing` });
  }
  return ops;
}
