import type { RosItem } from './ros-menu';

// Field names are RouterOS' own, camelCased (remote-address -> remoteAddress). Values are the
// router's strings; only disabled/dynamic/invalid-like flags are booleans.

export interface PppSecret extends RosItem {
  name: string;
  password?: string;
  profile?: string;
  service?: string;
  remoteAddress?: string;
  localAddress?: string;
  callerId?: string;
  comment?: string;
  disabled?: boolean;
  lastLoggedOut?: string;
}

export interface PppActive extends RosItem {
  name: string;
  service?: string;
  callerId?: string;
  address?: string;
  uptime?: string;
  sessionId?: string;
  encoding?: string;
  radius?: boolean;
}

export interface PppProfile extends RosItem {
  name: string;
  localAddress?: string;
  remoteAddress?: string;
  rateLimit?: string;
  addressList?: string;
  onUp?: string;
  onDown?: string;
  comment?: string;
  default?: boolean;
}

export interface SimpleQueue extends RosItem {
  name: string;
  target?: string;
  maxLimit?: string;
  limitAt?: string;
  burstLimit?: string;
  burstThreshold?: string;
  burstTime?: string;
  parent?: string;
  queue?: string;
  comment?: string;
  disabled?: boolean;
  dynamic?: boolean;
}

export interface AddressListEntry extends RosItem {
  list: string;
  address: string;
  timeout?: string;
  comment?: string;
  creationTime?: string;
  disabled?: boolean;
  dynamic?: boolean;
}

export interface DhcpServer extends RosItem {
  name: string;
  interface?: string;
  addressPool?: string;
  leaseTime?: string;
  leaseScript?: string;
  disabled?: boolean;
  invalid?: boolean;
}

export interface DhcpLease extends RosItem {
  address: string;
  macAddress: string;
  clientId?: string;
  server?: string;
  status?: string;
  hostName?: string;
  activeAddress?: string;
  activeMacAddress?: string;
  expiresAfter?: string;
  comment?: string;
  disabled?: boolean;
  dynamic?: boolean;
}

export interface NetwatchEntry extends RosItem {
  host: string;
  name?: string;
  type?: string;
  interval?: string;
  timeout?: string;
  upScript?: string;
  downScript?: string;
  status?: string;
  since?: string;
  comment?: string;
  disabled?: boolean;
}

export interface SystemScript extends RosItem {
  name: string;
  source?: string;
  policy?: string;
  owner?: string;
  comment?: string;
  runCount?: string;
  lastStarted?: string;
  dontRequirePermissions?: boolean;
}

export interface SystemResource {
  uptimeMs?: number;
  version?: string;
  /** RouterOS major version parsed from `version` */
  major?: number;
  cpuLoadPercent?: number;
  freeMemoryBytes?: number;
  totalMemoryBytes?: number;
  boardName?: string;
  architectureName?: string;
  platform?: string;
  /** every field as sent */
  raw: Record<string, string>;
}

export interface PingOptions {
  /** probes to send; always sent, because /ping without count never ends */
  count?: number;
  intervalMs?: number;
  size?: number;
  srcAddress?: string;
  routingTable?: string;
  /** call deadline; default count x interval + 5 s */
  timeoutMs?: number;
}

export interface PingProbe {
  seq?: number;
  timeMs?: number;
  status?: string;
}

export interface PingResult {
  address: string;
  sent: number;
  received: number;
  lossPercent: number;
  /** undefined when nothing came back */
  minRttMs?: number;
  avgRttMs?: number;
  maxRttMs?: number;
  reachable: boolean;
  probes: PingProbe[];
}
