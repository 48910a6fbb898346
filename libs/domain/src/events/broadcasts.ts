/**
 * Broadcasts over Nest's Redis transport (pub/sub: every replica of every subscribed app gets
 * each message). Only for facts everyone must see; never for work that must run once.
 */
export const Broadcast = {
  TOPOLOGY_CHANGED: 'topology.changed',
  ROUTER_CHANGED: 'router.changed',
  CONFIG_CHANGED: 'config.changed',
} as const;
export type Broadcast = (typeof Broadcast)[keyof typeof Broadcast];

export interface TopologyChangedMessage {
  reason: string;
  buildingId?: string;
  routerId?: string;
}
export interface RouterChangedMessage {
  routerId: string;
  /** what changed: token rotated, credentials, allowlist, removed */
  change: 'token' | 'credentials' | 'allowlist' | 'removed' | 'created' | 'updated';
}
