import { Injectable, Logger } from '@nestjs/common';
import { DeviceRepository, IncidentRepository, MaintenanceWindowRepository, MikrotikRouterRepository, SubscriberRepository, toId, windowRules, type Incident } from '@isp/data';
import { JobName, isWindowActive, maintenanceCoverage, type MaintenanceCoverage, type RootCauseKind } from '@isp/domain';
import { JobProducer } from '@isp/platform';

const NOT_COVERED: MaintenanceCoverage = { covered: false, windowIds: [], until: null };

/**
 * Whether an incident's page must wait for a maintenance window, and the mark on the incident
 * that says so. The windows and the root cause's uplinks (every one, redundant ones included)
 * are read fresh each time: pages are rare, and a window created a second ago must count.
 */
@Injectable()
export class MaintenanceHoldService {
  private readonly logger = new Logger(MaintenanceHoldService.name);

  constructor(
    private readonly windows: MaintenanceWindowRepository,
    private readonly incidents: IncidentRepository,
    private readonly devices: DeviceRepository,
    private readonly routers: MikrotikRouterRepository,
    private readonly subscribers: SubscriberRepository,
    private readonly producer: JobProducer,
  ) {}

  async coverage(incident: Incident, at = new Date()): Promise<MaintenanceCoverage> {
    const windows = (await this.windows.findCurrent(at)).map(windowRules).filter((w) => isWindowActive(w, at));
    if (!windows.length) return NOT_COVERED;
    const parents = await this.uplinks(incident.rootCause.kind, String(incident.rootCause.id));
    return maintenanceCoverage(String(incident.rootCause.id), at, windows, (id) => parents.get(id) ?? []);
  }

  /**
   * True when nobody may be paged about the incident now: it is marked as in maintenance, and a
   * follow-up is scheduled at the coverage's end (besides the window's own end job, which the
   * gateway moves when the window changes): a window that ends between our read and our mark
   * still gets the incident looked at again.
   */
  async holdBack(incident: Incident): Promise<boolean> {
    const c = await this.coverage(incident);
    if (!c.covered) return false;
    const maintenance = { since: incident.maintenance?.since ?? new Date(), windowIds: c.windowIds.map((id) => toId(id)), until: c.until };
    await this.incidents.markMaintenance(incident._id, maintenance);
    incident.maintenance = maintenance;
    const until = c.until!;
    await this.producer.add(JobName.MAINTENANCE_ENDED, { windowId: c.windowIds[0], endsAt: until.toISOString(), incidentId: String(incident._id) }, { delay: Math.max(0, until.getTime() - Date.now()) });
    this.logger.log(`incident ${String(incident._id)} (${incident.rootCause.name}) in maintenance until ${until.toISOString()}: nobody paged`);
    return true;
  }

  /** Every uplink above the node, by node id (ids are ObjectIds, unique across collections). */
  private async uplinks(kind: RootCauseKind, id: string): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    const queue: { kind: RootCauseKind | 'device-or-router'; id: string }[] = [{ kind, id }];
    while (queue.length) {
      const n = queue.shift()!;
      if (out.has(n.id)) continue;
      const ups = await this.parentsOf(n.kind, n.id);
      out.set(n.id, ups.map((u) => u.id));
      queue.push(...ups);
    }
    return out;
  }

  /** Parents as TopologyGraph links them: subscriber -> station or router; device -> parent (or router) and redundant uplinks; router -> building. */
  private async parentsOf(kind: RootCauseKind | 'device-or-router', id: string): Promise<{ kind: RootCauseKind | 'device-or-router'; id: string }[]> {
    if (kind === 'building') return [];
    if (kind === 'subscriber') {
      const s = await this.subscribers.findById(id);
      if (!s) return [];
      return [s.station ? { kind: 'device', id: String(s.station) } : { kind: 'router', id: String(s.router) }];
    }
    if (kind === 'device' || kind === 'device-or-router') {
      const d = await this.devices.findById(id);
      if (d) {
        const primary = d.parent ? String(d.parent) : String(d.router);
        const alts = (d.altParents ?? []).map(String).filter((p) => p !== primary && p !== id);
        return [primary, ...alts].map((p) => ({ kind: 'device-or-router' as const, id: p }));
      }
      if (kind === 'device') return [];
    }
    const r = await this.routers.findById(id);
    return r?.building ? [{ kind: 'building', id: String(r.building) }] : [];
  }
}
