import { Injectable, Logger } from '@nestjs/common';
import { IncidentRepository, NotificationRepository, type Incident } from '@isp/data';
import { effectiveLevel, planResolve, type IncidentChangedJob, type PageChannel, type PriorPage } from '@isp/domain';
import { AlertContextService } from './alert-context.service';
import { EscalationService } from './escalation.service';
import { NotificationIntentService } from './notification-intent.service';

/**
 * Turns an incident change into recorded notifications. The job carries ids only: the incident
 * is read again here, so what is sent reflects the database, not the moment the job was queued.
 */
@Injectable()
export class IncidentAlertService {
  private readonly logger = new Logger(IncidentAlertService.name);

  constructor(
    private readonly incidents: IncidentRepository,
    private readonly notifications: NotificationRepository,
    private readonly context: AlertContextService,
    private readonly intents: NotificationIntentService,
    private readonly escalation: EscalationService,
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
        return this.resolved(incident);
    }
  }

  private async opened(incident: Incident): Promise<string> {
    // Recovered before we got to it: nothing to page about, and the resolve then has nobody to follow.
    if (incident.state === 'resolved') return 'skipped: already resolved';
    const plan = await this.context.plan(incident, incident.level);
    plan.notes.forEach((n) => this.logger.log(`incident ${String(incident._id)}: ${n}`));
    const message = await this.context.render('opened', incident, incident.level);
    const r = await this.intents.record({ incident, kind: 'opened', pages: plan.pages, dashboard: plan.dashboard, message });
    await this.escalation.schedule(incident, plan, new Date(incident.openedAt));
    // A resolve handled between our read and our records would have missed these pages: follow up.
    const now = await this.incidents.findById(incident._id);
    if (now?.state === 'resolved') await this.resolved(now);
    return `opened: ${r.recorded} recorded, ${r.queued} queued (rule "${plan.rule?.name ?? 'none'}")`;
  }

  private async changed(incident: Incident, kind: 'grown' | 'shrunk', revision: number): Promise<string> {
    if (incident.state === 'resolved') return 'skipped: already resolved';
    const level = effectiveLevel(incident);
    const plan = await this.context.plan(incident, level);
    const message = await this.context.render(kind, incident, level);
    // A shrinking outage is news for the dashboard, not worth waking anyone for.
    const pages = kind === 'grown' ? plan.pages : [];
    const r = await this.intents.record({ incident, kind, suffix: `r${revision}`, pages, dashboard: plan.dashboard, message });
    return `${kind}: ${r.recorded} recorded`;
  }

  /** The resolve follows the pages that went out, whatever routing, rosters or suppression say now. */
  private async resolved(incident: Incident): Promise<string> {
    if (incident.state !== 'resolved') return `skipped: incident is ${incident.state}`;
    const prior: PriorPage[] = (await this.notifications.find({ incident: incident._id }, 5000))
      .filter((n) => n.contact && n.channel !== 'dashboard')
      .map((n) => ({ contactId: String(n.contact), contactName: n.recipient, channel: n.channel as PageChannel, address: n.recipient, kind: n.kind, priority: n.priority, status: n.status }))
      .reverse(); // oldest first: the opening page's record decides the address
    const pages = planResolve(prior).map((p) => ({ ...p, contactName: p.contactName.replace(/^chat:/, '') }));
    const level = effectiveLevel(incident);
    const plan = await this.context.plan(incident, level);
    const message = await this.context.render('resolved', incident, level);
    const r = await this.intents.record({ incident, kind: 'resolved', pages, dashboard: plan.dashboard, message });
    return `resolved: ${r.recorded} recorded for ${pages.length} earlier pages`;
  }
}
