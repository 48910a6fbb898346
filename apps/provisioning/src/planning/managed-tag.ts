import { MANAGED_TAG } from '@isp/routeros';

/**
 * The comment that marks an entry as provisioning's own: `isp-netops@<deployment>:user:<id>`
 * names a subscriber, `:device:<id>` the Device a Netwatch entry probes, `:profile` a PPP profile
 * provisioning created, `:firewall:<key>` a row of the suspension set-up. Only an exact tag of
 * THIS deployment counts: a staging deployment pointed at production's routers sees production's
 * rows as someone else's (never changed, never removed, duplicates included).
 *
 * Tags written before deployment ids existed (`isp-netops:user:<id>`) belong to the default
 * deployment (`main`); it keeps owning them and re-tags them as it passes (docs/decisions.md).
 *
 * The deployment is set once at start-up from ProvisioningConfig.DEPLOYMENT_ID (one deployment
 * per process): the tag helpers stay plain functions the pure planners can call.
 */
export const MANAGED_PREFIX = MANAGED_TAG;
export const DEFAULT_DEPLOYMENT = 'main';
export const DEPLOYMENT_ID_RE = /^[a-z0-9][a-z0-9-]{0,31}$/;

let deployment = DEFAULT_DEPLOYMENT;

export function setDeployment(id: string): void {
  if (!DEPLOYMENT_ID_RE.test(id)) throw new Error(`deployment id ${JSON.stringify(id)}: lower-case letters, digits and dashes, at most 32`);
  deployment = id;
}

export function currentDeployment(): string {
  return deployment;
}

export type ManagedKind = 'user' | 'device' | 'profile';

export function managedComment(kind: ManagedKind, id?: string): string {
  const base = `${MANAGED_PREFIX}@${deployment}:${kind}`;
  return id ? `${base}:${id}` : base;
}

export function userTag(userId: string): string {
  return managedComment('user', userId);
}

/**
 * Every comment this deployment recognises as a subscriber's tag (for filtered prints): the
 * scoped one, and for the default deployment the unscoped one written before deployment ids.
 */
export function ownedUserTags(userId: string): string[] {
  return deployment === DEFAULT_DEPLOYMENT ? [userTag(userId), `${MANAGED_PREFIX}:user:${userId}`] : [userTag(userId)];
}

export function deviceTag(deviceId: string): string {
  return managedComment('device', deviceId);
}

export interface ParsedTag {
  kind: ManagedKind;
  id?: string;
}

const TAG_RE = new RegExp(`^${MANAGED_PREFIX}(?:@([a-z0-9-]{1,32}))?:(user|device|profile)(?::([a-f0-9]{24}))?$`);
const FIREWALL_RE = new RegExp(`^${MANAGED_PREFIX}(?:@([a-z0-9-]{1,32}))?:firewall:([a-z0-9-]{1,40})$`);

const ours = (dep: string | undefined) => (dep ?? DEFAULT_DEPLOYMENT) === deployment;

/** The tag in a comment, or null for entries someone else owns (untagged, or another deployment's). */
export function parseTag(comment: string | undefined): ParsedTag | null {
  const m = TAG_RE.exec((comment ?? '').trim());
  return m && ours(m[1]) ? { kind: m[2] as ManagedKind, id: m[3] } : null;
}

/** Which deployment tagged this row (`main` for an unscoped tag), or null for a row without our tag at all. */
export function tagDeployment(comment: string | undefined): string | null {
  const c = (comment ?? '').trim();
  const m = TAG_RE.exec(c) ?? FIREWALL_RE.exec(c);
  return m ? (m[1] ?? DEFAULT_DEPLOYMENT) : null;
}

/** `isp-netops@<deployment>:firewall:<key>`: one of the suspension set-up's rules or walled-garden entries. */
export function firewallTag(key: string): string {
  return `${MANAGED_PREFIX}@${deployment}:firewall:${key}`;
}

/** The key of a suspension set-up row, or null for rows someone else owns. */
export function parseFirewallTag(comment: string | undefined): string | null {
  const m = FIREWALL_RE.exec((comment ?? '').trim());
  return m && ours(m[1]) ? m[2] : null;
}

/**
 * Snitch scripts carry the deployment on their marker line (`# managed-by=isp-netops kind=.. v=..
 * deployment=<id>`); a marker without it is the default deployment's (written before ids existed).
 */
export function withScriptDeployment(text: string): string {
  return text.replace(/^(# managed-by=\S+ kind=\S+ v=\d+)/m, `$1 deployment=${deployment}`);
}

export function isOwnScript(text: string | undefined): boolean {
  const m = /^# managed-by=\S+ kind=\S+ v=\d+(?: deployment=([a-z0-9-]+))?/m.exec(text ?? '');
  return !!m && ours(m[1]);
}
