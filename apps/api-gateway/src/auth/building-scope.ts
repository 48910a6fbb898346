import { ForbiddenError } from '@isp/domain';
import { hasRole, Role, type Principal } from './roles';

/**
 * Which buildings a caller may act in. An account that lists buildings acts only in them,
 * whatever its role; a technician (or support) acts only in listed buildings, so an empty list
 * means none; a netadmin or admin with an empty list acts network-wide. Reads are not scoped:
 * the whole network is visible to every role.
 */
export function inBuildingScope(p: Principal, building: string | null | undefined): boolean {
  if (p.buildings.length) return Boolean(building) && p.buildings.includes(String(building));
  return hasRole(p.role, Role.NETADMIN);
}

/** Every action on a building-scoped object (incident, router, device, subscriber, building) checks this. */
export function assertBuildingScope(p: Principal, building: unknown, what = 'This building'): void {
  const id = building ? String(building) : null;
  if (!inBuildingScope(p, id)) throw new ForbiddenError(`${what} is outside your assigned buildings`);
}
