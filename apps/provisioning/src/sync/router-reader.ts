import { Inject, Injectable } from '@nestjs/common';
import { ROUTER_API, type RosRow, type RouterApi } from '../router-access/router-api';
import { managedComment, ownedUserTags } from '../planning/managed-tag';
import type { DepartureObserved } from '../planning/departure.planner';
import { Menu } from '../planning/router-ops';
import {
  ACTIVE_PROPLIST,
  ADDRESS_LIST_PROPLIST,
  LEASE_PROPLIST,
  PROFILE_PROPLIST,
  QUEUE_PROPLIST,
  SECRET_PROPLIST,
  type DesiredSubscriber,
  type ObservedSubscriberState,
} from '../planning/subscriber.planner';
import { FILTER_PROPLIST, type SuspensionPolicy } from '../planning/suspension.planner';
import { DHCP_SERVER_PROPLIST, NETWATCH_PROPLIST } from '../planning/snitch.planner';

const uniqById = (rows: RosRow[]) => [...new Map(rows.map((r) => [r['.id'], r])).values()];

/**
 * Reads what the planners need. Router-wide: one print per menu with a `.proplist`. For one
 * subscriber: prints filtered by its name and tag, so a single sync never pulls 2,000 rows.
 */
@Injectable()
export class RouterReader {
  constructor(@Inject(ROUTER_API) private readonly api: RouterApi) {}

  /** What the router says it is (`/system/resource`): the version decides the script dialect. */
  async systemResource(routerId: string): Promise<{ version?: string; boardName?: string; architecture?: string }> {
    const [row = {}] = await this.api.print(routerId, Menu.SYSTEM_RESOURCE, { proplist: ['version', 'board-name', 'architecture-name'] });
    // "7.16 (stable)": the channel is not part of the version.
    return { version: row.version?.split(' ')[0] || undefined, boardName: row['board-name'] || undefined, architecture: row['architecture-name'] || undefined };
  }

  /** `lists`: the address lists provisioning writes entries in (the suspended one, the plans'). */
  async subscribersOfRouter(routerId: string, lists: string[]): Promise<ObservedSubscriberState> {
    const [secrets, queues, addressList, profiles, leases, active] = await Promise.all([
      this.api.print(routerId, Menu.SECRET, { proplist: SECRET_PROPLIST }),
      this.api.print(routerId, Menu.QUEUE, { proplist: QUEUE_PROPLIST }),
      this.api.print(routerId, Menu.ADDRESS_LIST, { proplist: ADDRESS_LIST_PROPLIST, anyOf: [...new Set(lists)].map((l) => ['list', l] as const) }),
      this.api.print(routerId, Menu.PROFILE, { proplist: PROFILE_PROPLIST }),
      this.api.print(routerId, Menu.LEASE, { proplist: LEASE_PROPLIST }),
      // Read after the rows above are asked for: a session is judged against the list as printed.
      this.api.print(routerId, Menu.ACTIVE, { proplist: ACTIVE_PROPLIST }),
    ]);
    return { secrets, queues, addressList, profiles, leases, active };
  }

  async oneSubscriber(routerId: string, user: DesiredSubscriber, suspendedList: string, suspendedProfile: string): Promise<ObservedSubscriberState> {
    const tags = ownedUserTags(user.id).map((t): [string, string] => ['comment', t]);
    const needsProfiles = user.serviceType === 'pppoe' && (user.isSuspended || !!user.plan);
    // The suspended profile, and the plan's profile by its tag or its name (a rename of the plan).
    const profileKeys: [string, string][] = [['name', suspendedProfile]];
    if (user.plan) profileKeys.push(['name', user.plan.name], ['comment', managedComment('profile', user.plan.id)]);
    const [secrets, queues, listTagged, listSame, profiles, leases, active] = await Promise.all([
      this.api.print(routerId, Menu.SECRET, { proplist: SECRET_PROPLIST, anyOf: [['name', user.username], ...tags] }),
      this.api.print(routerId, Menu.QUEUE, { proplist: QUEUE_PROPLIST, anyOf: tags }),
      this.api.print(routerId, Menu.ADDRESS_LIST, { proplist: ADDRESS_LIST_PROPLIST, anyOf: tags }),
      user.staticIp && user.isSuspended
        ? this.api.print(routerId, Menu.ADDRESS_LIST, { proplist: ADDRESS_LIST_PROPLIST, where: { list: suspendedList, address: user.staticIp } })
        : Promise.resolve([]),
      // Only a suspension or a plan needs to know about profiles.
      needsProfiles ? this.api.print(routerId, Menu.PROFILE, { proplist: PROFILE_PROPLIST, anyOf: profileKeys }) : Promise.resolve([]),
      user.serviceType === 'dhcp' ? this.api.print(routerId, Menu.LEASE, { proplist: LEASE_PROPLIST, anyOf: tags }) : Promise.resolve(undefined),
      this.api.print(routerId, Menu.ACTIVE, { proplist: ACTIVE_PROPLIST, anyOf: [user.username, ...(user.formerNames ?? [])].map((n) => ['name', n] as const) }),
    ]);
    // Whether a live session is under the suspension: is its address in the list (dynamic or not)?
    const sessionLists = await Promise.all(
      active.map((a) => this.api.print(routerId, Menu.ADDRESS_LIST, { proplist: ADDRESS_LIST_PROPLIST, where: { list: suspendedList, address: a.address } })),
    );
    return { secrets, queues, addressList: uniqById([...listTagged, ...listSame, ...sessionLists.flat()]), profiles, leases, active };
  }

  /** What a subscriber that moved away may have left on this router: rows with its tag, sessions under its old names. */
  async departureRows(routerId: string, userId: string, names: string[]): Promise<DepartureObserved> {
    // Every tag form that is ours (before deployment ids, too).
    const anyOf = ownedUserTags(userId).map((t): [string, string] => ['comment', t]);
    const [secrets, queues, addressList, leases, active] = await Promise.all([
      this.api.print(routerId, Menu.SECRET, { proplist: SECRET_PROPLIST, anyOf }),
      this.api.print(routerId, Menu.QUEUE, { proplist: QUEUE_PROPLIST, anyOf }),
      this.api.print(routerId, Menu.ADDRESS_LIST, { proplist: ADDRESS_LIST_PROPLIST, anyOf }),
      this.api.print(routerId, Menu.LEASE, { proplist: LEASE_PROPLIST, anyOf }),
      names.length ? this.api.print(routerId, Menu.ACTIVE, { proplist: ACTIVE_PROPLIST, anyOf: names.map((n) => ['name', n] as const) }) : Promise.resolve([]),
    ]);
    return { secrets, queues, addressList, leases, active };
  }

  /** The suspension set-up: every filter rule (in order) and the walled garden's entries. */
  async suspensionRows(routerId: string, policy: SuspensionPolicy): Promise<{ filter: RosRow[]; garden: RosRow[] }> {
    const [filter, garden] = await Promise.all([
      this.api.print(routerId, Menu.FILTER, { proplist: FILTER_PROPLIST }),
      this.api.print(routerId, Menu.ADDRESS_LIST, { proplist: ADDRESS_LIST_PROPLIST, where: { list: policy.gardenList } }),
    ]);
    return { filter, garden };
  }

  async snitchTargets(routerId: string): Promise<{ dhcpServers: RosRow[]; netwatch: RosRow[] }> {
    const [dhcpServers, netwatch] = await Promise.all([
      this.api.print(routerId, Menu.DHCP_SERVER, { proplist: DHCP_SERVER_PROPLIST }),
      this.api.print(routerId, Menu.NETWATCH, { proplist: NETWATCH_PROPLIST }),
    ]);
    return { dhcpServers, netwatch };
  }
}
