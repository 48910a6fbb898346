import type { DeviceType } from '@isp/domain';

/** The facts about a device that the parent rules look at. */
export interface ParentFacts {
  id: string;
  router: string;
  building: string | null;
  deviceType: DeviceType;
  parent: string | null;
  altParents: string[];
}

/**
 * Why `parentId` cannot be an uplink of `child`, or null when it can. A parent must be probed
 * by the same router (probes go through it), sit in the same building unless it is a backhaul
 * (backhauls are what link buildings), and must not be the child or one of its descendants.
 * `ancestorsOf` yields the uplinks (parent and alternates) of a device id.
 */
export async function parentProblem(
  child: Pick<ParentFacts, 'id' | 'router' | 'building'>,
  parent: ParentFacts,
  ancestorsOf: (id: string) => Promise<string[]>,
  maxDepth = 64,
): Promise<string | null> {
  if (parent.id === child.id) return 'a device cannot be its own parent';
  if (parent.router !== child.router) return `parent ${parent.id} is probed by another router`;
  if (parent.building !== child.building && parent.deviceType !== 'backhaul') return `parent ${parent.id} is in another building (only a backhaul may link buildings)`;
  // Walk up from the parent: meeting the child means the edge would close a cycle.
  const seen = new Set<string>();
  let frontier = [parent.id];
  for (let depth = 0; frontier.length && depth < maxDepth; depth++) {
    const next: string[] = [];
    for (const id of frontier) {
      if (seen.has(id)) continue;
      seen.add(id);
      for (const up of await ancestorsOf(id)) {
        if (up === child.id) return `parent ${parent.id} is below this device: the link would make a cycle`;
        next.push(up);
      }
    }
    frontier = next;
  }
  if (frontier.length) return 'the device tree is deeper than allowed';
  return null;
}
