import type { DeviceType, RouterRole, ServiceType } from '../model/network.types';

/**
 * A topology file (YAML or JSON): the network as the ISP describes it. Records refer to each
 * other by stable keys: buildings by `code`, routers by `name`, devices by `name` within their
 * router, subscribers by `username` within their router, contacts by `name`.
 */
export interface TopologyFile {
  buildings?: TopologyBuilding[];
  routers?: TopologyRouter[];
  devices?: TopologyDevice[];
  subscribers?: TopologySubscriber[];
  contacts?: TopologyContact[];
}

export interface TopologyBuilding {
  code: string;
  name: string;
  address?: string;
  notes?: string;
  geo?: { lat: number; lng: number };
}

export interface TopologyRouter {
  name: string;
  building: string;
  role?: RouterRole;
  host: string;
  apiPort?: number;
  apiUser: string;
  apiPassword: string;
  tls?: boolean;
  rosVersion?: string;
  allowedSourceIps?: string[];
}

export interface TopologyDevice {
  name: string;
  router: string;
  type: DeviceType;
  ip: string;
  mac?: string;
  /** Name of the upstream device on the same router; absent means the router is the parent. */
  parent?: string;
  /** Further uplinks (redundant paths), by device name on the same router. */
  altParents?: string[];
  /** Defaults to the router's building. */
  building?: string;
}

export interface TopologySubscriber {
  username: string;
  router: string;
  password?: string;
  station?: string;
  serviceType?: ServiceType;
  profile?: string;
  staticIp?: string;
  macAddress?: string;
  rateLimit?: string;
  isSuspended?: boolean;
  /** Name of a bandwidth plan that exists in the database (plans are managed through the API). */
  plan?: string;
  /**
   * The username this subscriber had before (a rename in the file). A subscriber is otherwise
   * known across routers by its username: moving it to another router in the file moves the
   * record (see loadTopology).
   */
  renamedFrom?: string;
}

export interface TopologyContact {
  name: string;
  level: 1 | 2 | 3;
  phone?: string;
  email?: string;
  chatWebhook?: string;
  telegramChatId?: string;
  whatsapp?: string;
  teamsWebhook?: string;
  /** IANA zone the contact reads times in ("Africa/Nairobi"); unset: UTC. */
  timezone?: string;
  /** Building codes in scope; empty means all. */
  buildings?: string[];
}
