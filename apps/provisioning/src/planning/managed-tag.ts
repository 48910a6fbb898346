import { MANAGED_TAG } from '@isp/routeros';

/**
 * The comment that marks an entry as provisioning's own. Reconcile only ever changes or removes
 * entries carrying it (plus a PPP secret whose name is a subscriber of that router: adopted by
 * tagging it). `isp-netops:user:<id>` names the subscriber, `:device:<id>` the Device a Netwatch
 * entry probes, `:profile` a PPP profile provisioning created.
 */
export const MANAGED_PREFIX = MANAGED_TAG;

export type ManagedKind = 'user' | 'device' | 'profile';

export function managedComment(kind: ManagedKind, id?: string): string {
  return id ? `${MANAGED_PREFIX}:${kind}:${id}` : `${MANAGED_PREFIX}:${kind}`;
}

export function userTag(userId: string): string {
  return managedComment('user', userId);
}

export function deviceTag(deviceId: string): string {
  return managedComment('device', deviceId);
}

export interface ParsedTag {
  kind: ManagedKind;
  id?: string;
}

const TAG_RE = new RegExp(`^${MANAGED_PREFIX}:(user|device|profile)(?::([a-f0-9]{24}))?$`);

/** The tag in a comment, or null for entries someone else owns. Only an exact tag counts. */
export function parseTag(comment: string | undefined): ParsedTag | null {
  const m = TAG_RE.exec((comment ?? '').trim());
  return m ? { kind: m[1] as ManagedKind, id: m[2] } : null;
}

/** `isp-netops:firewall:<key>`: one of the suspension set-up's rules or walled-garden entries. */
export function firewallTag(key: string): string {
  return `${MANAGED_PREFIX}:firewall:${key}`;
}

const FIREWALL_RE = new RegExp(`^${MANAGED_PREFIX}:firewall:([a-z0-9-]{1,40})$`);

/** The key of a suspension set-up row, or null for rows someone else owns. */
export function parseFirewallTag(comment: string | undefined): string | null {
  return FIREWALL_RE.exec((comment ?? '').trim())?.[1] ?? null;
}
