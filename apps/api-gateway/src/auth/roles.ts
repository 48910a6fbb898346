/**
 * Admin roles, each including the ones before it: support (Level 1: read, Live Check) <
 * technician (Level 2: also acknowledge incidents, edit devices in their buildings) <
 * netadmin (Level 3: everything on the network) < admin (also users, contacts, tokens, queues).
 */
export const Role = {
  SUPPORT: 'support',
  TECHNICIAN: 'technician',
  NETADMIN: 'netadmin',
  ADMIN: 'admin',
} as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ROLES: readonly Role[] = [Role.SUPPORT, Role.TECHNICIAN, Role.NETADMIN, Role.ADMIN];

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

export function hasRole(have: Role | undefined, need: Role): boolean {
  return have !== undefined && ROLES.includes(have) && roleRank(have) >= roleRank(need);
}

/** The role just below, used by the route-table test to prove each route refuses it. */
export function roleBelow(role: Role): Role | undefined {
  return ROLES[roleRank(role) - 1];
}

/** What a verified token says about its bearer. */
export interface Principal {
  sub: string;
  email: string;
  /** Display name, when the account has one (the audit trail records it). */
  name?: string;
  role: Role;
  /** Buildings a technician may edit devices in. */
  buildings: string[];
}
