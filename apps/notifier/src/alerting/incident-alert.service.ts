import { Injectable, Logger } from '@nestjs/common';
import { IncidentRepository, type Incident } from '@isp/data';
import { JobName, effectiveLevel, type IncidentChangedJob, type IncidentLevel } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { NotifierConfig } from '../config/notifier.config';
import { AlertContextService } from './alert-context.service';
import { EscalationService } from './escalation.service';
import { NotificationIntentService } from './notification-intent.service';
import { ResolveFollowService } from './resolve-follow.service';
import { MaintenanceHoldService } from '../maintenance/maintenance-hold.service';

/**
 * Turns an incident change into recorded notifications. The job carries ids only: the incident
 * is read again here, so what is sent reflects the database, not the moment the job was queued.
 */
@Injectable()
export class IncidentAlertService {
  private readonly logger = new Logger(IncidentAlertService.name);

  constructor(
    private readonly incidents: IncidentRepository,
    private readonly context: AlertContextService,
    private readonly intents: NotificationIntentService,
    private readonly escalation: EscalationService,
    private readonly resolves: ResolveFollowService,
    private readonly maintenance: MaintenanceHoldService,
    private readonly producer: JobProducer,
    private readonly config: NotifierConfig,
  ) {}

  async onIncidentChanged(job: IncidentChangedJob): Promise<string> {
    const incident = await this.incidents.findById(job.incidentId);
    if (!incident) return 'skipped: incident gone';
    switch (job.change) {
      case 'opened':
        return this.opened(incident);
      case 'grown':
      case 'shrunk':
        return this.changed(incident, job.change, job.revision);
      case 'escalated':
        if (incident.state !== 'open') return `skipped: incident ${incident.state}`;
        await this.escalation.notify(incident, effectiveLevel(incident));
        return 'escalated';
      case 'resolved':
        return this.resolves.followUp(incident);
      case 'unacknowledged':
        return this.escalation.restart(incident);
    }
  }

  private async opened(incident: Incident): Promise<string> {
    // Recovered before we got to it: nothing to page about, and the resolve then has nobody to follow.
    if (incident.state === 'resolved') return 'skipped: already resolved';
    const plan = await this.context.plan(incident, incident.level);
    plan.notes.forEach((n) => this.logger.log(`incident ${String(incident._id)}: ${n}`));
    const message = await this.context.render('opened', incident, incident.level);
    if (incident.flappingSince) {
      // Opened while its root flaps (diagnostics' flap detection): the feed shows it, nobody is
      // paged per flap nor escalated; diagnostics announces it again if it ends as an outage.
      const r = await this.intents.record({ incident, kind: 'opened', pages: [], dashboard: plan.dashboard, message, level: incident.level });
      return `opened while flapping: ${r.recorded} recorded, nobody paged`;
    }
    if (await this.maintenance.holdBack(incident)) {
      // Inside a maintenance window: the feed shows it, nobody is paged nor escalated until the
      // window ends with the incident still open (MaintenanceEndService pages it then).
      const r = await this.intents.record({ incident, kind: 'opened', pages: [], dashboard: plan.dashboard, message, level: incident.level });
      return `opened in maintenance: ${r.recorded} recorded, nobody paged`;
    }
    const r = await this.intents.record({ incident, kind: 'opened', pages: plan.pages, dashboard: plan.dashboard, message, level: incident.level, dropped: plan.dropped });
    if (plan.escalateNow && incident.level < 3 && incident.state === 'open') {
      const up = await this.escalation.escalateNow(incident, (incident.level + 1) as IncidentLevel);
      return `opened: nobody reachable at level ${incident.level}, ${up} recorded at level ${incident.level + 1}`;
    }
    // Held back by maintenance until now: its escalation counts from this page, not from the
    // opening, in jobs of their own (the ones that came due inside the window are done).
    if (incident.maintenance) await this.escalation.schedule(incident, plan, new Date(), incident.maintenance.since);
    else await this.escalation.schedule(incident, plan, new Date(incident.openedAt));
    // A resolve handled between our read and our records would have missed these pages: follow up.
    const now = await this.incidents.findById(incident._id);
    if (now?.state === 'resolved') await this.resolves.followUp(now);
    return `opened: ${r.recorded} recorded, ${r.queued} queued (rule "${plan.rule?.name ?? 'none'}")`;
  }

  /** The page held back by a maintenance window that ended with the incident still open. */
  pageAfterMaintenance(incident: Incident): Promise<string> {
    return this.opened(incident);
  }

  /**
   * The feed hears of every change; people only through the re-page check, once per merge window
   * and only when it changes something for them (RepageService).
   */
  private async changed(incident: Incident, kind: 'grown' | 'shrunk', revision: number): Promise<string> {
    if (incident.state === 'resolved') return 'skipped: already resolved';
    const level = effectiveLevel(incident);
    const plan = await this.context.plan(incident, level);
    const message = await this.context.render(kind, incident, level);
    const r = await this.intents.record({ incident, kind, suffix: `r${revision}`, pages: [], dashboard: plan.dashboard, message, level });
    if (kind === 'grown' && incident.state === 'open') {
      await this.producer.add(JobName.REPAGE_CHECK, { incidentId: String(incident._id) }, { delay: this.config.REPAGE_MERGE_WINDOW_MS });
    }
    return `${kind}: ${r.recorded} recorded`;
  }
}
