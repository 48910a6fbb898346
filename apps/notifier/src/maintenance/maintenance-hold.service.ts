import { Injectable, Logger } from '@nestjs/common';
import { DeviceRepository, IncidentRepository, MaintenanceWindowRepository, MikrotikRouterRepository, SubscriberRepository, TopologyUplinks, toId, windowRules, type Incident } from '@isp/data';
import { JobName, isWindowActive, maintenanceCoverage, type MaintenanceCoverage } from '@isp/domain';
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
    const uplinks = new TopologyUplinks({ devices: this.devices, routers: this.routers, subscribers: this.subscribers });
    await uplinks.load(incident.rootCause.kind, String(incident.rootCause.id));
    return maintenanceCoverage(String(incident.rootCause.id), at, windows, uplinks.parentsOf);
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
}
