import { Injectable, Logger } from '@nestjs/common';
import { IncidentRepository, MaintenanceWindowRepository, windowRules, type Incident } from '@isp/data';
import { JobName, currentOrNextOccurrence, type MaintenanceEndedJob } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { IncidentAlertService } from '../alerting/incident-alert.service';
import { MaintenanceHoldService } from './maintenance-hold.service';

/**
 * The end of a maintenance window (a delayed job at its end, from the gateway; or the notifier's
 * own follow-up of one incident it held back). Every incident held back that is still covered
 * (another window, a longer one above it) stays held; the others get their page now, through
 * the same path as an opening, so its exactly-once records mean a page is never sent twice
 * whichever replica or job gets there.
 */
@Injectable()
export class MaintenanceEndService {
  private readonly logger = new Logger(MaintenanceEndService.name);

  constructor(
    private readonly incidents: IncidentRepository,
    private readonly windows: MaintenanceWindowRepository,
    private readonly hold: MaintenanceHoldService,
    private readonly alerts: IncidentAlertService,
    private readonly producer: JobProducer,
  ) {}

  async ended(job: MaintenanceEndedJob): Promise<string> {
    const held = job.incidentId ? [await this.incidents.findById(job.incidentId)].filter((i): i is Incident => !!i?.maintenance && i.state !== 'resolved') : await this.incidents.findOpenInMaintenance();
    let paged = 0;
    let still = 0;
    for (const incident of held) {
      if (await this.hold.holdBack(incident)) {
        still++;
        continue;
      }
      // Acknowledged inside the window: somebody has it, nobody is paged; it just leaves maintenance.
      if (incident.state === 'open') {
        const outcome = await this.alerts.pageAfterMaintenance(incident);
        this.logger.log(`incident ${String(incident._id)} out of maintenance, still down: ${outcome}`);
        paged++;
      }
      // Cleared after the page is recorded: a crash in between retries the job, and the records dedupe.
      await this.incidents.leaveMaintenance(incident._id);
    }
    if (!job.incidentId) await this.scheduleNextOccurrence(job);
    return `maintenance ended: ${paged} paged, ${still} still in maintenance`;
  }

  /** A weekly window's next occurrence gets its end job when this one ends. */
  private async scheduleNextOccurrence(job: MaintenanceEndedJob): Promise<void> {
    const w = await this.windows.findById(job.windowId);
    if (!w || w.recurrence !== 'weekly') return;
    const next = currentOrNextOccurrence(windowRules(w), new Date(Date.parse(job.endsAt) + 1));
    if (!next) return;
    await this.producer.add(JobName.MAINTENANCE_ENDED, { windowId: job.windowId, endsAt: next.end.toISOString() }, { delay: Math.max(0, next.end.getTime() - Date.now()) });
  }
}
