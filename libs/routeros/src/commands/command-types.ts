// Results of the commands that are not menus (resource, ping), parsed from the router's rows.

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
