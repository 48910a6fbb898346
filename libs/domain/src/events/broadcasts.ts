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

/** The payload each broadcast carries. */
export interface BroadcastPayloads {
  [Broadcast.TOPOLOGY_CHANGED]: TopologyChangedMessage;
  [Broadcast.ROUTER_CHANGED]: RouterChangedMessage;
  [Broadcast.CONFIG_CHANGED]: { reason: string };
}

/**
 * The Redis channel of a broadcast: under QUEUE_PREFIX, so deployments sharing one Redis do not
 * hear each other's changes. The handlers keep the bare pattern (`@EventPattern(Broadcast.X)`);
 * the platform's broadcast server adds and strips the prefix.
 */
export function broadcastChannel(prefix: string, pattern: Broadcast): string {
  return `${prefix}:${pattern}`;
}
