import type { RosRow } from '../router-access/router-api';
import { deviceTag, parseTag, tagDeployment, userTag } from './managed-tag';
import { addProps, diffProps, Menu, type RouterOp } from './router-ops';
import { mergeScript } from './script-block';
import type { Orphan } from './subscriber.planner';

/** The script texts this router should run, generated for its token and RouterOS dialect. */
export interface SnitchTexts {
  pppUp: string;
  pppDown: string;
  dhcpLease: string;
  netwatch(device: SnitchDevice): { up: string; down: string };
}

export interface SnitchDevice {
  id: string;
  name: string;
  host: string;
  /** Netwatch interval for this device (RouterOS duration); the plan's default when absent. */
  interval?: string;
  /** created after the router's scripts were last verified: an absent entry is an install, not a loss */
  isNew?: boolean;
}

export interface SnitchPlanInput {
  texts: SnitchTexts;
  /** PPP profiles the router's subscribers use (plus the suspended one) */
  profileNames: ReadonlySet<string>;
  devices: SnitchDevice[];
  /** static subscribers (no PPP, no DHCP): a Netwatch entry on their address is their status source */
  subscribers?: SnitchDevice[];
  netwatchInterval: string;
  observed: { profiles: RosRow[]; dhcpServers: RosRow[]; netwatch: RosRow[] };
  orphanPolicy?: 'remove' | 'report';
  /**
   * The PPP profiles and DHCP servers ("profile x", "dhcp-server y") whose scripts the last pass
   * verified: an empty script field is a loss only there (a profile newly in use is an install).
   */
  verifiedHooks?: ReadonlySet<string>;
}

export interface SnitchPlan {
  ops: RouterOp[];
  orphans: Orphan[];
  conflicts: string[];
  /**
   * Entries found absent or emptied (not merely out of date, as after a token rotation): on a
   * router verified before, someone removed them. Profiles created this pass and new devices aside.
   */
  missing: string[];
  /** the profiles and DHCP servers whose scripts this plan leaves in place (next pass's verifiedHooks) */
  hooks: string[];
  /** Netwatch entries the plan leaves: one per device and per static subscriber */
  netwatchEntries: number;
}

export const DHCP_SERVER_PROPLIST = ['.id', 'name', 'lease-script'] as const;
export const NETWATCH_PROPLIST = ['.id', 'host', 'interval', 'up-script', 'down-script', 'comment'] as const;

const same = (a: string | undefined, b: string) => (a ?? '').replace(/\r\n/g, '\n').trim() === b.replace(/\r\n/g, '\n').trim();

/**
 * Verifies the snitch scripts: PPP profiles' on-up/on-down, every DHCP server's lease-script,
 * and one Netwatch entry per Device. Writes only fields that differ; an operator's own hook script
 * keeps its lines, ours going beside them in a marked block; another deployment's script is
 * left alone (reported as a conflict). Pure.
 */
export function planSnitches(input: SnitchPlanInput): SnitchPlan {
  const { texts, observed } = input;
  const ops: RouterOp[] = [];
  const orphans: Orphan[] = [];
  const conflicts: string[] = [];
  const missing: string[] = [];
  const absent = (v: string | undefined) => !(v ?? '').trim();
  const hooks: string[] = [];
  const lost = (hook: string, v: string | undefined) => absent(v) && Boolean(input.verifiedHooks?.has(hook));

  for (const p of observed.profiles) {
    if (!input.profileNames.has(p.name)) continue;
    if (tagDeployment(p.comment) && !parseTag(p.comment)) {
      conflicts.push(`profile ${p.name} belongs to deployment ${tagDeployment(p.comment)}; its scripts left alone`);
      continue;
    }
    const props: Record<string, string> = {};
    const hook = `profile ${p.name}`;
    hooks.push(hook);
    for (const [field, text] of [['on-up', texts.pppUp], ['on-down', texts.pppDown]] as const) {
      // An operator's own lines stay: ours goes beside them in a marked block (script-block).
      const m = mergeScript(p[field], text);
      if (m.action === 'keep') continue;
      if (lost(hook, m.ours)) missing.push(`${hook}: ${field}`);
      if (m.action === 'write') props[field] = m.value;
      else conflicts.push(`profile ${p.name}: ${field} holds another deployment's script; left alone`);
    }
    if (Object.keys(props).length) ops.push({ op: 'set', menu: Menu.PROFILE, id: p['.id'], props, why: `profile ${p.name}: ${Object.keys(props).join(',')}` });
  }

  for (const s of observed.dhcpServers) {
    const hook = `dhcp-server ${s.name}`;
    hooks.push(hook);
    const m = mergeScript(s['lease-script'], texts.dhcpLease);
    if (m.action === 'keep') continue;
    if (lost(hook, m.ours)) missing.push(`${hook}: lease-script`);
    if (m.action === 'write') ops.push({ op: 'set', menu: Menu.DHCP_SERVER, id: s['.id'], props: { 'lease-script': m.value }, why: `dhcp-server ${s.name}: lease-script` });
    else conflicts.push(`dhcp-server ${s.name}: lease-script holds another deployment's script; left alone`);
  }

  // One Netwatch entry per device, and per static subscriber (its only status source), keyed by tag.
  const byTag = new Map<string, RosRow[]>();
  for (const r of observed.netwatch) {
    const tag = parseTag(r.comment);
    if ((tag?.kind !== 'device' && tag?.kind !== 'user') || !tag.id) continue;
    const key = `${tag.kind}:${tag.id}`;
    byTag.set(key, [...(byTag.get(key) ?? []), r]);
  }
  const watched = [...input.devices.map((d) => ({ d, kind: 'device' as const, comment: deviceTag(d.id) })), ...(input.subscribers ?? []).map((d) => ({ d, kind: 'user' as const, comment: userTag(d.id) }))];
  for (const { d, kind, comment } of watched) {
    const t = texts.netwatch(d);
    const want = { host: d.host, interval: d.interval ?? input.netwatchInterval, 'up-script': t.up, 'down-script': t.down, comment };
    const rows = byTag.get(`${kind}:${d.id}`) ?? [];
    const keep = rows.find((r) => r.host === d.host) ?? rows[0];
    if (keep) {
      if (absent(keep['up-script']) || absent(keep['down-script'])) missing.push(`netwatch ${d.name}: scripts`);
      const diff = diffScriptAware(keep, want);
      if (Object.keys(diff).length) ops.push({ op: 'set', menu: Menu.NETWATCH, id: keep['.id'], props: diff, why: `netwatch ${d.name}: ${Object.keys(diff).join(',')}` });
    } else {
      if (!d.isNew) missing.push(`netwatch ${d.name}`);
      ops.push({ op: 'add', menu: Menu.NETWATCH, props: addProps(want), why: `netwatch ${d.name} missing` });
    }
    for (const r of rows) if (r !== keep) ops.push({ op: 'remove', menu: Menu.NETWATCH, id: r['.id'], why: `duplicate netwatch of ${d.name}` });
    byTag.delete(`${kind}:${d.id}`);
  }
  for (const [key, rows] of byTag) {
    const [kind, id] = key.split(':');
    for (const r of rows) {
      orphans.push({ menu: Menu.NETWATCH, id: r['.id'], name: r.host, userId: id });
      if (input.orphanPolicy !== 'report') ops.push({ op: 'remove', menu: Menu.NETWATCH, id: r['.id'], why: `orphan netwatch ${r.host} (${kind === 'user' ? 'subscriber' : 'device'} ${id} gone or no longer static)` });
    }
  }
  return { ops, orphans, conflicts, missing, hooks, netwatchEntries: watched.length };
}

function diffScriptAware(observed: RosRow, want: Record<string, string>): Record<string, string> {
  const diff = diffProps(observed, want);
  for (const k of ['up-script', 'down-script']) if (k in diff && same(observed[k], want[k])) delete diff[k];
  return diff;
}

/**
 * Sets aimed at an entry another op of the same plan creates (`.id` "new:<name>") fold into
 * that add, so a profile created this pass gets its scripts in the same write.
 */
export function foldIntoAdds(ops: RouterOp[]): RouterOp[] {
  const out: RouterOp[] = [];
  for (const op of ops) {
    if (op.op === 'set' && op.id.startsWith('new:')) {
      const name = op.id.slice(4);
      const add = out.find((o) => o.op === 'add' && o.menu === op.menu && o.props.name === name);
      if (add && add.op === 'add') {
        Object.assign(add.props, op.props);
        continue;
      }
    }
    out.push(op);
  }
  return out;
}
