import type { ServiceType } from '@isp/domain';
import type { RosRow } from '../router-access/router-api';
import { managedComment, parseTag, tagDeployment, userTag } from './managed-tag';
import { queueLimits, type DesiredPlan } from './plan.planner';
import { addProps, diffProps, Menu, type RouterOp } from './router-ops';

/** A subscriber as the router should see it (password already decrypted). */
export interface DesiredSubscriber {
  id: string;
  username: string;
  /** undefined: provisioning does not manage the password (none stored). */
  password?: string;
  serviceType: ServiceType;
  staticIp?: string;
  macAddress?: string;
  profile: string;
  isSuspended: boolean;
  rateLimit?: string;
  /** the bandwidth plan (its name is `profile`); static/DHCP subscribers get its rates as a queue */
  plan?: DesiredPlan;
  /**
   * Names this subscriber had on this router before a rename (left behind): a session under one
   * of them is ended, and a secret of ours under one of them that is not the one kept is removed.
   */
  formerNames?: string[];
}

export interface SubscriberPolicy {
  suspendedProfile: string;
  suspendedList: string;
  suspendedRateLimit: string;
  suspendMode: 'profile' | 'disable';
}

/** The router's rows, read with one print per menu (or filtered to the users being synced). */
export interface ObservedSubscriberState {
  secrets: RosRow[];
  queues: RosRow[];
  addressList: RosRow[];
  profiles: RosRow[];
  /** static DHCP leases (DHCP subscribers); absent: not read */
  leases?: RosRow[];
  /**
   * `/ppp/active` rows (name, address). When read, a suspended PPPoE user's session must have
   * its address in the suspended list (it came up under the suspended profile), and an active
   * user's must not be in it as a dynamic entry; any other session is ended. The kick is part
   * of the desired state, so a kick lost to a dropped connection is planned again next time.
   */
  active?: RosRow[];
}

export interface SubscriberPlanInput {
  users: DesiredSubscriber[];
  observed: ObservedSubscriberState;
  policy: SubscriberPolicy;
  /**
   * Router-wide reconcile: the ids of every subscriber the database has on this router. Managed
   * rows tagged with any other id are orphans. Absent for a targeted sync (rows of other users
   * are then none of its business).
   */
  routerUserIds?: ReadonlySet<string>;
  orphanPolicy?: 'remove' | 'report';
}

export interface Orphan {
  menu: string;
  id: string;
  name: string;
  userId?: string;
}

export interface SubscriberPlan {
  ops: RouterOp[];
  orphans: Orphan[];
  /** things provisioning will not fix because someone else owns the entry in the way */
  conflicts: string[];
  /** rows that look like ours but are left alone (reported by router passes) */
  untouched: string[];
}

export const SECRET_PROPLIST = ['.id', 'name', 'password', 'profile', 'service', 'remote-address', 'caller-id', 'disabled', 'comment'] as const;
export const QUEUE_PROPLIST = ['.id', 'name', 'target', 'max-limit', 'limit-at', 'burst-limit', 'burst-threshold', 'burst-time', 'priority', 'comment', 'dynamic'] as const;
export const ADDRESS_LIST_PROPLIST = ['.id', 'list', 'address', 'comment', 'dynamic'] as const;
// status and caller-id: the router pass also reports the sessions they show (reconcile/presence-reporter).
export const LEASE_PROPLIST = ['.id', 'address', 'mac-address', 'comment', 'dynamic', 'status'] as const;
export const ACTIVE_PROPLIST = ['.id', 'name', 'address', 'caller-id'] as const;
export const PROFILE_PROPLIST = ['.id', 'name', 'rate-limit', 'address-list', 'on-up', 'on-down', 'comment'] as const;

/** Fields whose change only takes effect on a new session (docs/routeros.md §1, §7); a renamed secret leaves the session under the old name. */
export const KICK_FIELDS = ['name', 'profile', 'disabled', 'remote-address'];

export function queueName(username: string): string {
  return `sub-${username}`;
}

function queueTarget(u: DesiredSubscriber): string {
  return u.staticIp ? `${u.staticIp}/32` : `<pppoe-${u.username}>`;
}

function desiredSecret(u: DesiredSubscriber, p: SubscriberPolicy): Record<string, string> {
  const props: Record<string, string> = {
    name: u.username,
    service: 'pppoe',
    profile: u.isSuspended ? p.suspendedProfile : u.profile,
    'remote-address': u.staticIp ?? '',
    'caller-id': u.macAddress ?? '',
    disabled: u.isSuspended && p.suspendMode === 'disable' ? 'yes' : 'no',
    comment: userTag(u.id),
  };
  if (u.password !== undefined) props.password = u.password;
  return props;
}

/**
 * A static or DHCP subscriber on a plan gets the plan's rates (its own rateLimit, when set,
 * overrides the plan's max-limit); PPPoE subscribers get the plan through their profile. Without
 * a plan, rateLimit alone makes a queue, as before plans.
 */
function desiredQueue(u: DesiredSubscriber): Record<string, string> | null {
  const base = { name: queueName(u.username), target: queueTarget(u), comment: userTag(u.id) };
  if (u.plan && u.serviceType !== 'pppoe') return { ...base, ...queueLimits(u.plan, u.rateLimit) };
  if (!u.rateLimit) return null;
  return { ...base, 'max-limit': u.rateLimit };
}

/** A DHCP subscriber's address is reserved by a static lease on its MAC (docs/routeros.md §7). */
function desiredLease(u: DesiredSubscriber): Record<string, string> | null {
  if (u.serviceType !== 'dhcp' || !u.staticIp || !u.macAddress) return null;
  return { address: u.staticIp, 'mac-address': u.macAddress, comment: userTag(u.id) };
}

/** Sessions of `u` that do not hold the state the database asks for. */
function sessionsToEnd(u: DesiredSubscriber, p: SubscriberPolicy, active: RosRow[], addressList: RosRow[]): RosRow[] {
  const listed = (r: RosRow, dynamicOnly: boolean) => addressList.some((e) => e.list === p.suspendedList && e.address === r.address && (!dynamicOnly || isDynamic(e)));
  return active.filter((r) => {
    if (r.name !== u.username) return false;
    if (u.serviceType !== 'pppoe') return true;
    if (!u.isSuspended) return listed(r, true);
    return p.suspendMode === 'disable' || !listed(r, false);
  });
}

/**
 * Address-list entries for the subscriber's address: the suspended list while suspended, and the
 * plan's list for a static/DHCP subscriber (PPPoE sessions are listed by their profile).
 */
function desiredListEntries(u: DesiredSubscriber, p: SubscriberPolicy): Record<string, string>[] {
  if (!u.staticIp) return [];
  const out: Record<string, string>[] = [];
  if (u.isSuspended) out.push({ list: p.suspendedList, address: u.staticIp, comment: userTag(u.id) });
  if (u.plan?.addressList && u.serviceType !== 'pppoe' && u.plan.addressList !== p.suspendedList) out.push({ list: u.plan.addressList, address: u.staticIp, comment: userTag(u.id) });
  return out;
}

function groupByUser(rows: RosRow[]): Map<string, RosRow[]> {
  const m = new Map<string, RosRow[]>();
  for (const r of rows) {
    const tag = parseTag(r.comment);
    if (tag?.kind !== 'user' || !tag.id) continue;
    const list = m.get(tag.id) ?? [];
    list.push(r);
    m.set(tag.id, list);
  }
  return m;
}

const isDynamic = (r: RosRow) => r.dynamic === 'true' || r.dynamic === 'yes';

/**
 * Desired subscribers + the router's rows -> the writes that make the router match, and nothing
 * else: no write for a row that already says the right thing, no touch on an untagged row
 * (except adopting the PPP secret that carries a subscriber's own name). Pure and synchronous.
 */
export function planSubscribers(input: SubscriberPlanInput): SubscriberPlan {
  const { users, observed, policy } = input;
  const ops: RouterOp[] = [];
  const orphans: Orphan[] = [];
  const conflicts: string[] = [];
  const untouched: string[] = [];
  const secretsByUser = groupByUser(observed.secrets);
  const secretsByName = new Map(observed.secrets.map((r) => [r.name, r]));
  const queuesByUser = groupByUser(observed.queues.filter((r) => !isDynamic(r)));
  const queueNames = new Set(observed.queues.map((r) => r.name));
  const listByUser = groupByUser(observed.addressList.filter((r) => !isDynamic(r)));
  const listKeys = new Set(observed.addressList.map((r) => `${r.list}|${r.address}`));
  const claimedSecretIds = new Set<string>();
  const leasesByUser = groupByUser((observed.leases ?? []).filter((r) => !isDynamic(r)));

  for (const u of users) {
    const uid = u.id;
    // ---- PPP secret
    const tagged = secretsByUser.get(uid) ?? [];
    if (u.serviceType === 'pppoe') {
      const want = desiredSecret(u, policy);
      const byName = secretsByName.get(u.username);
      // A same-name secret tagged by another deployment is never ours, not even to adopt.
      const foreign = byName && !parseTag(byName.comment) ? tagDeployment(byName.comment) : null;
      const current = tagged.find((r) => r.name === u.username) ?? tagged[0] ?? (foreign ? undefined : byName);
      if (current) {
        claimedSecretIds.add(current['.id']);
        // Adopting an untagged secret never kicks: the customer's session goes on as it was.
        const adopting = !parseTag(current.comment);
        const diff = diffProps(current, want);
        if (Object.keys(diff).length) {
          ops.push({ op: 'set', menu: Menu.SECRET, id: current['.id'], props: diff, why: `secret ${u.username}: ${Object.keys(diff).join(',')}`, userId: uid });
          if (!adopting && KICK_FIELDS.some((f) => f in diff)) ops.push({ op: 'kick', username: current.name, why: `secret ${u.username} changed`, userId: uid });
        }
      } else if (foreign) {
        conflicts.push(`secret ${u.username} belongs to deployment ${foreign}; left alone`);
      } else {
        ops.push({ op: 'add', menu: Menu.SECRET, props: addProps(want), why: `secret ${u.username} missing`, userId: uid });
      }
      // Another secret with this subscriber's tag is a copy someone made (Winbox copies the
      // comment): not ours to remove or change; reported. One under a name the subscriber had
      // before a rename is ours, left behind: removed.
      for (const extra of tagged) {
        if (extra === current) continue;
        if (u.formerNames?.includes(extra.name)) ops.push({ op: 'remove', menu: Menu.SECRET, id: extra['.id'], why: `secret ${extra.name}: ${u.username}'s former name`, userId: uid });
        else untouched.push(`secret ${extra.name} carries ${u.username}'s tag (a copy?); left alone`);
      }
    } else {
      for (const r of tagged) {
        ops.push({ op: 'remove', menu: Menu.SECRET, id: r['.id'], why: `${u.username} is a static-IP subscriber`, userId: uid });
        ops.push({ op: 'kick', username: r.name, why: `secret ${r.name} removed`, userId: uid });
      }
    }

    // ---- simple queue (per-subscriber rate limit)
    const wantQ = desiredQueue(u);
    const queues = queuesByUser.get(uid) ?? [];
    const keepQ = wantQ ? (queues.find((r) => r.name === wantQ.name) ?? queues[0]) : undefined;
    if (wantQ && keepQ) {
      const diff = diffProps(keepQ, wantQ);
      if (Object.keys(diff).length) ops.push({ op: 'set', menu: Menu.QUEUE, id: keepQ['.id'], props: diff, why: `queue ${wantQ.name}: ${Object.keys(diff).join(',')}`, userId: uid });
    } else if (wantQ) {
      if (queueNames.has(wantQ.name)) conflicts.push(`queue ${wantQ.name} exists but is not managed; left alone`);
      else ops.push({ op: 'add', menu: Menu.QUEUE, props: addProps(wantQ), why: `queue ${wantQ.name} missing`, userId: uid });
    }
    for (const r of queues) {
      if (r !== keepQ) ops.push({ op: 'remove', menu: Menu.QUEUE, id: r['.id'], why: `queue ${r.name} not wanted`, userId: uid });
    }

    // ---- suspension address-list entry
    const entries = listByUser.get(uid) ?? [];
    const keptL = new Set<RosRow>();
    for (const wantL of desiredListEntries(u, policy)) {
      const keepL = entries.find((r) => r.list === wantL.list && r.address === wantL.address);
      if (keepL) keptL.add(keepL);
      else if (!listKeys.has(`${wantL.list}|${wantL.address}`)) ops.push({ op: 'add', menu: Menu.ADDRESS_LIST, props: addProps(wantL), why: `${u.username}: list ${wantL.list}`, userId: uid });
    }
    for (const r of entries) {
      if (!keptL.has(r)) ops.push({ op: 'remove', menu: Menu.ADDRESS_LIST, id: r['.id'], why: `list entry ${r.list} ${r.address} not wanted`, userId: uid });
    }
    if (u.isSuspended && !u.staticIp && u.serviceType !== 'pppoe') conflicts.push(`${u.username}: a ${u.serviceType} subscriber needs staticIp (its address) to be suspended`);

    // ---- static DHCP lease
    if (observed.leases) {
      const wantD = desiredLease(u);
      const leases = leasesByUser.get(uid) ?? [];
      const keepD = wantD ? (leases.find((r) => r['mac-address']?.toUpperCase() === wantD['mac-address'].toUpperCase()) ?? leases[0]) : undefined;
      if (wantD && keepD) {
        const diff = diffProps(keepD, wantD);
        if (Object.keys(diff).length) ops.push({ op: 'set', menu: Menu.LEASE, id: keepD['.id'], props: diff, why: `lease ${u.username}: ${Object.keys(diff).join(',')}`, userId: uid });
      } else if (wantD) {
        ops.push({ op: 'add', menu: Menu.LEASE, props: addProps(wantD), why: `lease ${u.username} missing`, userId: uid });
      }
      for (const r of leases) if (r !== keepD) ops.push({ op: 'remove', menu: Menu.LEASE, id: r['.id'], why: `lease ${r.address} not wanted`, userId: uid });
    }

    // ---- live sessions under a former name (a rename): ended, whatever the secret diff said
    if (u.formerNames?.length) {
      const kicking = new Set(ops.flatMap((o) => (o.op === 'kick' && o.userId === uid ? [o.username] : [])));
      for (const r of observed.active ?? []) {
        if (!u.formerNames.includes(r.name) || r.name === u.username || kicking.has(r.name)) continue;
        ops.push({ op: 'kick', username: r.name, why: `session under ${u.username}'s former name ${r.name}`, userId: uid });
        kicking.add(r.name);
      }
    }

    // ---- live sessions: a suspension is enforced only when the session says so
    if (observed.active && !ops.some((o) => o.op === 'kick' && o.userId === uid && o.username === u.username)) {
      for (const r of sessionsToEnd(u, policy, observed.active, observed.addressList)) {
        ops.push({ op: 'kick', username: r.name, why: `session of ${u.username} (${r.address}) does not match ${u.isSuspended ? 'the suspension' : 'the active state'}`, userId: uid });
        break;
      }
    }
  }

  // ---- the suspended profile must exist for suspensions to work; created (tagged) if missing
  const needsSuspended = input.routerUserIds !== undefined || users.some((u) => u.isSuspended && u.serviceType === 'pppoe');
  if (needsSuspended) {
    const wantP = { name: policy.suspendedProfile, 'address-list': policy.suspendedList, 'rate-limit': policy.suspendedRateLimit, comment: managedComment('profile') };
    const prof = observed.profiles.find((r) => r.name === policy.suspendedProfile);
    if (!prof) {
      ops.unshift({ op: 'add', menu: Menu.PROFILE, props: addProps(wantP), why: `profile ${policy.suspendedProfile} missing` });
    } else if (parseTag(prof.comment)?.kind === 'profile') {
      const diff = diffProps(prof, wantP);
      if (Object.keys(diff).length) ops.unshift({ op: 'set', menu: Menu.PROFILE, id: prof['.id'], props: diff, why: `profile ${policy.suspendedProfile}: ${Object.keys(diff).join(',')}` });
    }
  }

  // ---- orphans: tagged rows of subscribers the database does not have on this router
  if (input.routerUserIds) {
    const known = input.routerUserIds;
    const remove = input.orphanPolicy !== 'report';
    const visit = (menu: Menu, rows: RosRow[], label: (r: RosRow) => string) => {
      for (const r of rows) {
        const tag = parseTag(r.comment);
        if (tag?.kind !== 'user' || !tag.id || known.has(tag.id) || claimedSecretIds.has(r['.id']) || isDynamic(r)) continue;
        orphans.push({ menu, id: r['.id'], name: label(r), userId: tag.id });
        if (!remove) continue;
        ops.push({ op: 'remove', menu, id: r['.id'], why: `orphan ${label(r)} (subscriber ${tag.id} not on this router)` });
        if (menu === Menu.SECRET) ops.push({ op: 'kick', username: r.name, why: `orphan secret ${r.name} removed` });
      }
    };
    visit(Menu.SECRET, observed.secrets, (r) => r.name);
    visit(Menu.QUEUE, observed.queues, (r) => r.name);
    visit(Menu.ADDRESS_LIST, observed.addressList, (r) => `${r.list}/${r.address}`);
    visit(Menu.LEASE, observed.leases ?? [], (r) => `lease ${r.address}`);
  }

  return { ops, orphans, conflicts, untouched };
}
