import type { DriftItem, Subscriber } from '@isp/data';
import type { RosRow } from '../router-access/router-api';
import { parseTag, tagDeployment } from '../planning/managed-tag';
import { Menu } from '../planning/router-ops';
import type { DesiredSubscriber } from '../planning/subscriber.planner';
import type { AdoptedFields } from './drift-policy';

const yes = (v: string | undefined) => v === 'true' || v === 'yes';

/**
 * A cutover: what the router knows about a subscriber that the database lacks, taken from the
 * subscriber's PPP secret (found by name, not tagged by another deployment): its profile (when
 * the database has none or `default`), remote address, caller-id (MAC lock), and a suspension
 * (secret disabled, or on the suspended profile) the database does not record. What the database
 * does say wins. Pure: the caller writes the fields (only once the adoption is approved).
 */
export function adoptFromRouter(
  users: { stored: Subscriber; desired: DesiredSubscriber }[],
  secrets: RosRow[],
  suspendedProfile: string,
): { fields: Map<string, AdoptedFields>; items: DriftItem[] } {
  // Another deployment's secret is never adopted.
  const byName = new Map(secrets.filter((r) => !tagDeployment(r.comment) || parseTag(r.comment)).map((r) => [r.name, r]));
  const fields = new Map<string, AdoptedFields>();
  const items: DriftItem[] = [];
  for (const { stored, desired } of users) {
    if (desired.serviceType !== 'pppoe') continue;
    const row = byName.get(desired.username);
    if (!row) continue;
    const f: AdoptedFields = {};
    const take = (field: string, value: string, dbField: keyof AdoptedFields, dbValue: AdoptedFields[keyof AdoptedFields], why: string) => {
      (f as Record<string, unknown>)[dbField] = dbValue;
      items.push({ menu: Menu.SECRET, entry: row.name, subscriber: desired.username, field, router: value, database: stored[dbField] === undefined ? undefined : String(stored[dbField]), action: 'adopt', why });
    };
    const profile = row.profile ?? '';
    if (profile && profile !== suspendedProfile && profile !== 'default' && (!stored.profile || stored.profile === 'default')) take('profile', profile, 'profile', profile, 'the database has no profile');
    if (row['remote-address'] && !stored.staticIp) take('remote-address', row['remote-address'], 'staticIp', row['remote-address'].replace(/\/32$/, ''), 'static address kept');
    if (row['caller-id'] && !stored.macAddress) take('caller-id', row['caller-id'], 'macAddress', row['caller-id'].toUpperCase(), 'MAC lock kept');
    if ((yes(row.disabled) || profile === suspendedProfile) && !stored.isSuspended) {
      take(yes(row.disabled) ? 'disabled' : 'profile', yes(row.disabled) ? 'yes' : profile, 'isSuspended', true, 'suspended on the router');
    }
    if (Object.keys(f).length) fields.set(desired.id, f);
  }
  return { fields, items };
}

/** The desired state once adopted fields are in the database. */
export function withAdopted(d: DesiredSubscriber, f: AdoptedFields | undefined): DesiredSubscriber {
  if (!f) return d;
  return {
    ...d,
    ...(f.profile !== undefined && { profile: f.profile }),
    ...(f.staticIp !== undefined && { staticIp: f.staticIp || undefined }),
    ...(f.macAddress !== undefined && { macAddress: f.macAddress || undefined }),
    ...(f.isSuspended !== undefined && { isSuspended: f.isSuspended }),
  };
}
