import { Injectable, Logger } from '@nestjs/common';
import { IncidentRepository, type Incident } from '@isp/data';
import { JobName, type AlertPlan, type EscalationCheckJob, type IncidentLevel } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { AlertContextService } from './alert-context.service';
import { NotificationIntentService } from './notification-intent.service';

/**
 * An incident nobody acknowledges goes up one level after the configured time. The check is a
 * delayed job with a deterministic id (one per incident and target level), so replicas schedule
 * it once; when it fires it acts only on an incident that is still `open`.
 */
@Injectable()
export class EscalationService {
  private readonly logger = new Logger(EscalationService.name);

  constructor(
    private readonly incidents: IncidentRepository,
    private readonly context: AlertContextService,
    private readonly intents: NotificationIntentService,
    private readonly producer: JobProducer,
  ) {}

  /** Schedules the next escalation of an incident routed by `plan`, counted from `since`. */
  async schedule(incident: Incident, plan: AlertPlan, since: Date): Promise<void> {
    if (incident.state !== 'open') return;
    const after = this.context.escalateAfterSec(plan);
    if (after === null) return;
    const toLevel = (plan.level + 1) as IncidentLevel;
    const delay = Math.max(0, since.getTime() + after * 1000 - Date.now());
    await this.producer.add(JobName.ESCALATION_CHECK, { incidentId: String(incident._id), toLevel }, { delay });
  }

  async check(job: EscalationCheckJob): Promise<string> {
    let incident = await this.incidents.findById(job.incidentId);
    if (!incident) return 'skipped: incident gone';
    if (incident.state !== 'open') return `skipped: incident ${incident.state}`;
    if ((incident.escalatedLevel ?? incident.level) < job.toLevel) {
      const escalated = await this.incidents.escalate(job.incidentId, job.toLevel);
      // Lost the race to an acknowledgement (or another replica): read what is true now.
      incident = escalated ?? (await this.incidents.findById(job.incidentId));
      if (!incident || incident.state !== 'open') return `skipped: incident ${incident?.state ?? 'gone'}`;
    }
    // Already at the level (a retry, or the other replica got there first): notify idempotently.
    const result = await this.notify(incident, job.toLevel);
    this.logger.log(`incident ${job.incidentId} escalated to level ${job.toLevel}: ${result.recorded} notifications recorded`);
    return `escalated to ${job.toLevel}`;
  }

  /** Pages the people of `level` about an escalation and schedules the next one. */
  async notify(incident: Incident, level: IncidentLevel): Promise<{ recorded: number }> {
    const plan = await this.context.plan(incident, level);
    const message = await this.context.render('escalated', incident, level);
    const r = await this.intents.record({ incident, kind: 'escalated', suffix: `L${level}`, pages: plan.pages, dashboard: plan.dashboard, message });
    await this.schedule(incident, plan, new Date());
    return r;
  }
}
