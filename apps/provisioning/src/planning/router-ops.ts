import type { RosRow } from '../router-access/router-api';

/** The menus provisioning reads and writes. */
export const Menu = {
  SECRET: '/ppp/secret',
  ACTIVE: '/ppp/active',
  PROFILE: '/ppp/profile',
  QUEUE: '/queue/simple',
  ADDRESS_LIST: '/ip/firewall/address-list',
  FILTER: '/ip/firewall/filter',
  LEASE: '/ip/dhcp-server/lease',
  DHCP_SERVER: '/ip/dhcp-server',
  NETWATCH: '/tool/netwatch',
  SYSTEM_RESOURCE: '/system/resource',
} as const;
export type Menu = (typeof Menu)[keyof typeof Menu];

/**
 * One write the router needs. `kick` drops a user's PPP session (resolved against /ppp/active
 * by the executor, which only reads that menu when a kick is planned).
 */
export type RouterOp =
  | { op: 'add'; menu: Menu; props: Record<string, string>; why: string; userId?: string }
  | { op: 'set'; menu: Menu; id: string; props: Record<string, string>; why: string; userId?: string }
  | { op: 'remove'; menu: Menu; id: string; why: string; userId?: string }
  /** ordered menus only (firewall rules): put `id` right before `before` (undefined: at the end) */
  | { op: 'move'; menu: Menu; id: string; before?: string; why: string; userId?: string }
  | { op: 'kick'; username: string; why: string; userId?: string };

const UNITS: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9 };

/** "10M" -> "10000000": RouterOS prints rates in bits while people write them with units. */
function normRateToken(token: string): string {
  const m = /^(\d+(?:\.\d+)?)([kKMG]?)$/.exec(token);
  return m ? String(Math.round(Number(m[1]) * UNITS[m[2]])) : token;
}

const RATE_FIELDS = new Set(['max-limit', 'limit-at', 'burst-limit', 'burst-threshold', 'rate-limit']);
const BOOL_FIELDS = new Set(['disabled']);
/** Simple-queue fields RouterOS prints with a default when unset (an empty print means the default). */
const QUEUE_DEFAULTS: Record<string, string> = { 'limit-at': '0/0', 'burst-limit': '0/0', 'burst-threshold': '0/0', 'burst-time': '0s/0s', priority: '8/8' };

/** Compares values the way RouterOS means them, not the way they are spelled. */
export function normValue(key: string, value: string | undefined): string {
  const v = (value ?? '').trim() || (QUEUE_DEFAULTS[key] ?? '');
  if (BOOL_FIELDS.has(key)) return v === 'true' || v === 'yes' ? 'yes' : 'no';
  if (RATE_FIELDS.has(key)) return v.split(/[\s/]+/).filter(Boolean).map(normRateToken).join('/');
  if (key === 'target') return v.split(',').filter(Boolean).map((t) => (/^\d+\.\d+\.\d+\.\d+$/.test(t) ? `${t}/32` : t)).join(',');
  if (key === 'caller-id' || key === 'mac-address') return v.toUpperCase();
  if (key === 'remote-address' || key === 'address') return v.replace(/\/32$/, '');
  return v;
}

/** The fields of `desired` whose value on the router differs; empty when nothing needs writing. */
export function diffProps(observed: RosRow, desired: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(desired)) {
    if (normValue(k, observed[k]) !== normValue(k, v)) out[k] = v;
  }
  return out;
}

/** An add sends only the fields that say something (RouterOS defaults the rest). */
export function addProps(desired: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(desired).filter(([, v]) => v !== ''));
}
