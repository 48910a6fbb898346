import { SimulatedRouter, type SimulatedRouterOptions } from './simulated-router';
import { generateTopology, loadTopologyFile, type GenerateTopologyOptions, type TopologySpec } from './topology';

export interface SimulatedNetworkOptions {
  /** a ready topology (e.g. from loadTopologyFile) or the knobs to generate one */
  topology?: TopologySpec;
  generate?: GenerateTopologyOptions;
  /** version for routers that do not set one */
  version?: string;
  host?: string;
  /** consecutive ports from here; 0 (default) picks free ports */
  basePort?: number;
  router?: Pick<SimulatedRouterOptions, 'pppRedialMs' | 'webhookTimeoutMs'>;
}

export interface NetworkDescription {
  routers: {
    id: string;
    name: string;
    building?: { name: string; code: string };
    host: string;
    port: number;
    user: string;
    password: string;
    token?: string;
    version: string;
    devices: { name: string; type: string; ip: string; parentIp?: string; altParentIps?: string[] }[];
    subscribers: { username: string; password: string; stationIp?: string; mac: string; address?: string }[];
  }[];
}

/** N simulated routers with a building -> core -> backhaul -> sector -> station -> subscriber tree. */
export class SimulatedNetwork {
  private constructor(
    readonly routers: SimulatedRouter[],
    readonly topology: TopologySpec,
  ) {}

  static async start(o: SimulatedNetworkOptions): Promise<SimulatedNetwork> {
    const topology = o.topology ?? generateTopology(o.generate ?? { routers: 1 });
    const routers: SimulatedRouter[] = [];
    try {
      for (const [i, spec] of topology.routers.entries()) {
        routers.push(
          await SimulatedRouter.start({
            ...o.router,
            ...spec,
            version: spec.version ?? o.version,
            host: o.host,
            port: spec.port ?? (o.basePort ? o.basePort + i : 0),
          }),
        );
      }
    } catch (err) {
      await Promise.all(routers.map((r) => r.stop()));
      throw err;
    }
    return new SimulatedNetwork(routers, topology);
  }

  static fromFile(path: string, o: Omit<SimulatedNetworkOptions, 'topology' | 'generate'> = {}): Promise<SimulatedNetwork> {
    return SimulatedNetwork.start({ ...o, topology: loadTopologyFile(path) });
  }

  router(idOrName: string): SimulatedRouter {
    const r = this.routers.find((x) => x.id === idOrName || x.name === idOrName);
    if (!r) throw new Error(`no simulated router ${idOrName}`);
    return r;
  }

  /** Ports, credentials, tokens and the tree: what a demo or test needs to register the routers. */
  describe(): NetworkDescription {
    return {
      routers: this.routers.map((r) => ({
        id: r.id,
        name: r.name,
        building: r.building,
        host: r.host,
        port: r.port,
        user: r.user,
        password: r.password,
        token: r.token,
        version: r.version,
        devices: r.deviceList().map((d) => ({ name: d.name, type: d.type, ip: d.ip, parentIp: d.parentIp, ...(d.altParentIps && { altParentIps: d.altParentIps }) })),
        subscribers: r.subscriberList().map((s) => ({ username: s.username, password: s.password, stationIp: s.stationIp, mac: s.mac, address: s.address })),
      })),
    };
  }

  async stop(): Promise<void> {
    await Promise.all(this.routers.map((r) => r.stop()));
  }
}
