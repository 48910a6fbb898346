import type { RosRow } from '../router-access/router-api';
import { managedComment, parseTag } from './managed-tag';
import { addProps, diffProps, Menu, type RouterOp } from './router-ops';

/** A bandwidth plan as the routers should hold it (rates as RouterOS rate tokens: "50M", "512k"). */
export interface DesiredPlan {
  id: string;
  /** the PPP profile's name */
  name: string;
  download: string;
  upload: string;
  burstDownload?: string;
  burstUpload?: string;
  burstThresholdDownload?: string;
  burstThresholdUpload?: string;
  burstTime?: number;
  limitAtDownload?: string;
  limitAtUpload?: string;
  priority?: number;
  addressList?: string;
}

const pair = (upload: string | undefined, download: string | undefined, none = '0') => `${upload || none}/${download || none}`;

function hasExtras(p: DesiredPlan): boolean {
  return !!(p.burstDownload || p.burstUpload || p.limitAtDownload || p.limitAtUpload || p.priority);
}

const hasBurst = (p: DesiredPlan) => !!(p.burstDownload || p.burstUpload);

/**
 * With a burst and no threshold, the rate itself is the threshold, and the burst time 1 s: what
 * RouterOS assumes in a rate-limit (docs/routeros.md §10), written out so the queue says the same
 * (a queue's threshold 0 would never let the burst start).
 */
function burstThreshold(p: DesiredPlan): string {
  if (!hasBurst(p)) return pair(p.burstThresholdUpload, p.burstThresholdDownload);
  return pair(p.burstThresholdUpload || p.upload, p.burstThresholdDownload || p.download);
}
const burstTime = (p: DesiredPlan) => p.burstTime ?? (hasBurst(p) ? 1 : 0);

/**
 * The PPP profile's rate-limit: "rx/tx [rx-burst/tx-burst [rx-threshold/tx-threshold
 * [rx-time/tx-time [priority [rx-min/tx-min]]]]]" from the router's side, so rx is the
 * subscriber's upload and tx its download (docs/routeros.md §10). The long form only when the
 * plan has bursts, a guaranteed rate or a priority.
 */
export function profileRateLimit(p: DesiredPlan): string {
  const base = pair(p.upload, p.download);
  if (!hasExtras(p)) return base;
  const time = burstTime(p);
  return [
    base,
    pair(p.burstUpload, p.burstDownload),
    burstThreshold(p),
    `${time}/${time}`,
    String(p.priority ?? 8),
    pair(p.limitAtUpload, p.limitAtDownload),
  ].join(' ');
}

/**
 * A simple queue's limits for the plan (target upload/download, like rate-limit). Every field is
 * written, defaults included, so a plan losing its burst clears it on the router. `maxLimit` is a
 * subscriber's own rateLimit, which overrides the plan's rate.
 */
export function queueLimits(p: DesiredPlan, maxLimit?: string): Record<string, string> {
  const time = burstTime(p);
  const prio = String(p.priority ?? 8);
  return {
    'max-limit': maxLimit || pair(p.upload, p.download),
    'limit-at': pair(p.limitAtUpload, p.limitAtDownload),
    'burst-limit': pair(p.burstUpload, p.burstDownload),
    'burst-threshold': burstThreshold(p),
    'burst-time': `${time}s/${time}s`,
    priority: `${prio}/${prio}`,
  };
}

export function desiredProfile(p: DesiredPlan): Record<string, string> {
  return { name: p.name, 'rate-limit': profileRateLimit(p), 'address-list': p.addressList ?? '', comment: managedComment('profile', p.id) };
}

export interface PlanProfilesResult {
  ops: RouterOp[];
  conflicts: string[];
}

/**
 * Keeps one PPP profile per plan equal to the plan: created (tagged with the plan's id) when
 * missing, written where it differs, renamed with the plan (found by its tag). A profile of the
 * same name that is not ours is someone's hand-made profile: reported, never changed. Pure.
 */
export function planProfiles(plans: DesiredPlan[], profiles: RosRow[]): PlanProfilesResult {
  const ops: RouterOp[] = [];
  const conflicts: string[] = [];
  for (const p of plans) {
    const want = desiredProfile(p);
    const mine = profiles.find((r) => { const t = parseTag(r.comment); return t?.kind === 'profile' && t.id === p.id; });
    const named = profiles.find((r) => r.name === p.name);
    if (named && named !== mine) {
      conflicts.push(`profile ${p.name} exists but is not managed (plan ${p.name} cannot use it); left alone`);
      continue;
    }
    if (!mine) {
      ops.push({ op: 'add', menu: Menu.PROFILE, props: addProps(want), why: `profile of plan ${p.name} missing` });
      continue;
    }
    const diff = diffProps(mine, want);
    if (Object.keys(diff).length) ops.push({ op: 'set', menu: Menu.PROFILE, id: mine['.id'], props: diff, why: `profile of plan ${p.name}: ${Object.keys(diff).join(',')}` });
  }
  return { ops, conflicts };
}
