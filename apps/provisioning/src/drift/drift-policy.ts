import type { DriftItem, Subscriber } from '@isp/data';
import type { RosRow } from '../router-access/router-api';
import { parseFirewallTag, parseTag, tagDeployment } from '../planning/managed-tag';
import { Menu, type RouterOp } from '../planning/router-ops';
import { KICK_FIELDS, type DesiredSubscriber } from '../planning/subscriber.planner';

/**
 * Kinds of manual edit a router pass can find on a managed row, each with its own policy
 * (ProvisioningConfig.DRIFT_POLICY). The secret's fields that map back onto the subscriber can
 * be adopted; the rest (password, queue, everything else provisioning installs) only reverted
 * or reported.
 */
export const DRIFT_KINDS = ['profile', 'remote-address', 'caller-id', 'disabled', 'password', 'queue', 'setup'] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];
export type DriftPolicy = 'revert' | 'adopt' | 'report';
export type DriftPolicies = Record<DriftKind, DriftPolicy>;
export type AdoptedFields = Partial<Pick<Subscriber, 'profile' | 'staticIp' | 'macAddress' | 'isSuspended'>>;

/** `kind=policy,...` (validated by the config) -> a policy for every kind, revert where unnamed. */
export function parseDriftPolicy(spec: string): DriftPolicies {
  const out = Object.fromEntries(DRIFT_KINDS.map((k) => [k, 'revert'])) as DriftPolicies;
  for (const pair of spec.split(',').filter(Boolean)) {
    const [kind, policy] = pair.split('=') as [DriftKind, DriftPolicy];
    out[kind] = policy;
  }
  return out;
}

const SECRET_KINDS = new Set<string>(['profile', 'remote-address', 'caller-id', 'disabled', 'password']);

export function driftKind(menu: string, field: string): DriftKind {
  if (menu === Menu.SECRET && SECRET_KINDS.has(field)) return field as DriftKind;
  if (menu === Menu.QUEUE) return 'queue';
  return 'setup';
}

/** The database fields a router value of a secret's field stands for (what `adopt` writes). */
export function adoptedFields(field: string, value: string, suspendedProfile: string): AdoptedFields {
  switch (field) {
    case 'profile':
      return value === suspendedProfile ? { isSuspended: true } : { profile: value, isSuspended: false };
    case 'remote-address':
      return { staticIp: value.replace(/\/32$/, '') };
    case 'caller-id':
      return { macAddress: value.toUpperCase() };
    case 'disabled':
      return { isSuspended: value === 'true' || value === 'yes' };
    default:
      return {};
  }
}

/** Secrets are never shown, not even in the drift report. */
const shown = (field: string, v: string | undefined) => (v === undefined ? undefined : field === 'password' ? '(hidden)' : v);

export function entryLabel(row: RosRow | undefined, props: Record<string, string> = {}): string {
  const r = { ...props, ...row };
  if (r.name) return r.name;
  if (r.list && r.address) return `${r.list} ${r.address}`;
  return r.address ?? r.host ?? r.comment ?? r['.id'] ?? '?';
}

export interface PolicyInput {
  ops: RouterOp[];
  /** observed rows by `${menu}|${.id}` */
  rows: ReadonlyMap<string, RosRow>;
  /** the pass's subscribers; `synced`: the router held their desired state already (a diff is a manual edit) */
  users: ReadonlyMap<string, { desired: DesiredSubscriber; synced: boolean }>;
  policies: DriftPolicies;
  suspendedProfile: string;
}

export interface PolicyResult {
  ops: RouterOp[];
  items: DriftItem[];
  /** subscribers whose router values are taken into the database (policy `adopt`) */
  adopt: Map<string, AdoptedFields>;
}

const ours = (comment: string | undefined) => !!parseTag(comment) || !!parseFirewallTag(comment);

export const rowKey = (menu: string, id: string) => `${menu}|${id}`;

/**
 * A plan -> what the pass will write, per field, and why; a manual edit (a managed row of a
 * synced subscriber, or of the set-up, that differs) goes by its kind's policy: reverted,
 * adopted into the database, or only reported. Our own pending changes are always applied; adds
 * and removals (missing rows, orphans) follow the planners. Pure.
 */
export function applyDriftPolicy(input: PolicyInput): PolicyResult {
  const items: DriftItem[] = [];
  const adopt = new Map<string, AdoptedFields>();
  const ops: RouterOp[] = [];
  const noLongerKicks = new Set<string>();
  for (const op of input.ops) {
    if (op.op === 'kick') {
      ops.push(op);
      continue;
    }
    const user = op.userId ? input.users.get(op.userId) : undefined;
    const subscriber = user?.desired.username;
    const row = 'id' in op ? input.rows.get(rowKey(op.menu, op.id)) : undefined;
    const entry = entryLabel(row, op.op === 'add' ? op.props : undefined);
    if (op.op === 'add' || op.op === 'remove') {
      items.push({ menu: op.menu, entry, subscriber, field: '*', router: op.op === 'remove' ? 'present' : undefined, database: op.op === 'add' ? 'wanted' : undefined, action: op.op, why: op.why });
      ops.push(op);
      continue;
    }
    // A manual edit: the row is ours and held what the database says (the subscriber was synced).
    const manual = !!row && ours(row.comment) && (user ? user.synced : true);
    if (op.op === 'move') {
      const policy = manual ? input.policies.setup : 'revert';
      items.push({ menu: op.menu, entry, field: 'position', router: 'moved', database: 'first in the chain', action: policy === 'report' ? 'report' : manual ? 'revert' : 'apply', why: op.why });
      if (policy !== 'report') ops.push(op);
      continue;
    }
    const keep: Record<string, string> = {};
    let lostKick = false;
    for (const [field, value] of Object.entries(op.props)) {
      const kind = driftKind(op.menu, field);
      // The tag is ours to write (re-tagging a row from before deployment ids is not an edit).
      const edited = manual && field !== 'comment';
      const policy = edited ? input.policies[kind] : 'revert';
      const routerValue = row?.[field];
      const action = !edited ? 'apply' : policy;
      items.push({ menu: op.menu, entry, subscriber, field, router: shown(field, routerValue ?? ''), database: shown(field, value), action, why: op.why });
      if (policy === 'revert') {
        keep[field] = value;
        continue;
      }
      if (KICK_FIELDS.includes(field)) lostKick = true;
      if (policy === 'adopt' && op.userId) adopt.set(op.userId, { ...adopt.get(op.userId), ...adoptedFields(field, routerValue ?? '', input.suspendedProfile) });
    }
    if (lostKick && op.userId && !KICK_FIELDS.some((f) => f in keep)) noLongerKicks.add(op.userId);
    if (Object.keys(keep).length) ops.push({ ...op, props: keep });
  }
  // The kick a secret change planned goes with the change; a live-session kick stays.
  const out = ops.filter((o) => !(o.op === 'kick' && o.userId && noLongerKicks.has(o.userId) && o.why.endsWith(' changed')));
  for (const o of out) {
    if (o.op === 'kick') items.push({ menu: Menu.ACTIVE, entry: o.username, subscriber: o.userId ? input.users.get(o.userId)?.desired.username : undefined, field: 'session', router: 'active', action: 'kick', why: o.why });
  }
  return { ops: out, items, adopt };
}

/** Rows that are not ours (untagged, or another deployment's) and belong to no subscriber: reported, never touched. */
export function untaggedExtras(observed: { secrets: RosRow[]; queues: RosRow[] }, usernames: ReadonlySet<string>): DriftItem[] {
  const items: DriftItem[] = [];
  const visit = (menu: string, rows: RosRow[], known: (r: RosRow) => boolean) => {
    for (const r of rows) {
      if (parseTag(r.comment) || r.dynamic === 'true' || known(r)) continue;
      const other = tagDeployment(r.comment);
      items.push({ menu, entry: entryLabel(r), field: '*', router: other ? `tagged by deployment ${other}` : 'untagged', action: 'report', why: 'not ours: never changed or removed' });
    }
  };
  // An untagged secret named like a subscriber is adopted (or left alone, when another deployment tagged it).
  visit(Menu.SECRET, observed.secrets, (r) => usernames.has(r.name) && !tagDeployment(r.comment));
  visit(Menu.QUEUE, observed.queues, () => false);
  return items;
}
