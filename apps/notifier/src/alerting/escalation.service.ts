import { Injectable, Logger } from '@nestjs/common';
import { IncidentEventRepository, IncidentRepository, type Incident } from '@isp/data';
import { JobName, effectiveLevel, type AlertPlan, type EscalationCheckJob, type IncidentLevel } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { NotifierConfig } from '../config/notifier.config';
import type { TemplateKind } from '../templates/message-templates';
import { AlertContextService } from './alert-context.service';
import { NotificationIntentService } from './notification-intent.service';
import { ResolveFollowService } from './resolve-follow.service';
import { MaintenanceHoldService } from '../maintenance/maintenance-hold.service';

/**
 * An incident nobody acknowledges goes up one level after the configured time; at the top level
 * its page is repeated every L3_REPEAT_EVERY_SEC, at most L3_REPEAT_MAX times. Each check is a
 * delayed job with a deterministic id (incident, level, repeat), so replicas schedule it once;
 * when it fires it acts only on an incident that is still `open`. An un-acknowledge raises the
 * incident's escalation round: checks of an older round are stale, and escalation starts again
 * from the un-acknowledge (restart) with job ids of the new round.
 */
@Injectable()
export class EscalationService {
  private readonly logger = new Logger(EscalationService.name);

  constructor(
    private readonly incidents: IncidentRepository,
    private readonly context: AlertContextService,
    private readonly intents: NotificationIntentService,
    private readonly producer: JobProducer,
    private readonly resolves: ResolveFollowService,
    private readonly maintenance: MaintenanceHoldService,
    private readonly config: NotifierConfig,
    private readonly events: IncidentEventRepository,
  ) {}

  /**
   * Schedules the next escalation (or, at Level 3, the first repeat) of an incident routed by
   * `plan`, counted from `since`. `resumedAfter`: after a maintenance hold that began then (the
   * checks that came due inside the window are done; these are new jobs).
   */
  async schedule(incident: Incident, plan: AlertPlan, since: Date, resumedAfter?: Date): Promise<void> {
    if (incident.state !== 'open') return;
    const resumed = resumedAfter ? { resumedAfter: new Date(resumedAfter).toISOString() } : {};
    if (plan.level >= 3) return this.scheduleRepeat(incident, 1, since, resumed);
    const after = this.context.escalateAfterSec(plan);
    if (after === null) return;
    const toLevel = (plan.level + 1) as IncidentLevel;
    const delay = Math.max(0, since.getTime() + after * 1000 - Date.now());
    await this.producer.add(JobName.ESCALATION_CHECK, { incidentId: String(incident._id), toLevel, ...roundOf(incident), ...resumed }, { delay });
  }

  /**
   * Un-acknowledged: escalation starts again from now at the level the incident had reached, as
   * if it had never been acknowledged (the checks of the acknowledged round are stale by then).
   */
  async restart(incident: Incident): Promise<string> {
    if (incident.state !== 'open') return `skipped: incident ${incident.state}`;
    if (incident.flappingSince) return 'skipped: root cause flapping';
    const level = effectiveLevel(incident);
    await this.schedule(incident, await this.context.plan(incident, level), new Date());
    return `unacknowledged: escalation restarts at level ${level} (round ${incident.escalationRound ?? 0})`;
  }

  private async scheduleRepeat(incident: Incident, repeat: number, since: Date, resumed: { resumedAfter?: string } = {}): Promise<void> {
    if (repeat > this.config.L3_REPEAT_MAX) return;
    const delay = Math.max(0, since.getTime() + this.config.L3_REPEAT_EVERY_SEC * 1000 - Date.now());
    await this.producer.add(JobName.ESCALATION_CHECK, { incidentId: String(incident._id), toLevel: 3, repeat, ...roundOf(incident), ...resumed }, { delay });
  }

  async check(job: EscalationCheckJob): Promise<string> {
    let incident = await this.incidents.findById(job.incidentId);
    if (!incident) return 'skipped: incident gone';
    if (incident.state !== 'open') return `skipped: incident ${incident.state}`;
    // Its root flaps: no page per flap, escalations included (diagnostics' flap detection).
    if (incident.flappingSince) return 'skipped: root cause flapping';
    if ((job.round ?? 0) !== (incident.escalationRound ?? 0)) return 'skipped: un-acknowledged since, escalation restarted';
    // A window opened after the first page: no escalation while it lasts; when it ends the
    // incident is paged again and its escalation scheduled anew (IncidentAlertService).
    if (await this.maintenance.holdBack(incident)) return 'skipped: in maintenance';
    if (job.repeat) return this.repeat(incident, job.repeat, job.resumedAfter);
    if ((incident.escalatedLevel ?? incident.level) < job.toLevel) {
      const escalated = await this.incidents.escalate(job.incidentId, job.toLevel);
      if (escalated) await this.escalatedEvent(escalated, job.toLevel);
      // Lost the race to an acknowledgement (or another replica): read what is true now.
      incident = escalated ?? (await this.incidents.findById(job.incidentId));
      if (!incident || incident.state !== 'open') return `skipped: incident ${incident?.state ?? 'gone'}`;
    }
    // Already at the level (a retry, or the other replica got there first): notify idempotently.
    const result = await this.notify(incident, job.toLevel);
    this.logger.log(`incident ${job.incidentId} escalated to level ${job.toLevel}: ${result.recorded} notifications recorded`);
    return `escalated to ${job.toLevel}`;
  }

  /**
   * Pages the people of `level` about the incident and schedules what follows. Nobody reachable
   * at this level in the building's scope: straight on to the next level. `template` is 'opened'
   * when the incident skips a level at once (its readers hear of it for the first time).
   */
  async notify(incident: Incident, level: IncidentLevel, template: TemplateKind = 'escalated'): Promise<{ recorded: number }> {
    const plan = await this.context.plan(incident, level);
    plan.notes.forEach((n) => this.logger.log(`incident ${String(incident._id)} L${level}: ${n}`));
    const message = await this.context.render(template, incident, level);
    const r = await this.intents.record({ incident, kind: 'escalated', suffix: `L${level}${roundSuffix(incident)}`, pages: plan.pages, dashboard: plan.dashboard, message, level, dropped: plan.dropped });
    if (plan.escalateNow && level < 3) {
      const up = await this.escalateNow(incident, (level + 1) as IncidentLevel);
      return { recorded: r.recorded + up };
    }
    await this.schedule(incident, plan, new Date());
    await this.afterRecording(incident);
    return r;
  }

  /** Raises the incident to `level` now (nobody could be paged below) and pages that level as news. */
  async escalateNow(incident: Incident, level: IncidentLevel): Promise<number> {
    const won = await this.incidents.escalate(incident._id, level);
    if (won) await this.escalatedEvent(won, level);
    const raised = won ?? (await this.incidents.findById(incident._id));
    if (!raised || raised.state !== 'open') return 0;
    this.logger.warn(`incident ${String(incident._id)}: nobody reachable below level ${level}, paged at level ${level} now`);
    return (await this.notify(raised, level, 'opened')).recorded;
  }

  private async repeat(incident: Incident, repeat: number, resumedAfter?: string): Promise<string> {
    const plan = await this.context.plan(incident, 3);
    const message = await this.context.render('escalated', incident, 3);
    const r = await this.intents.record({ incident, kind: 'escalated', suffix: `L3r${repeat}${roundSuffix(incident)}`, pages: plan.pages, dashboard: false, message, level: 3 });
    await this.scheduleRepeat(incident, repeat + 1, new Date(), resumedAfter ? { resumedAfter } : {});
    await this.afterRecording(incident);
    return `repeated level 3 page ${repeat}/${this.config.L3_REPEAT_MAX}: ${r.recorded} recorded`;
  }

  /** For the timeline: written by whoever won the atomic raise, so once per level and round. */
  private async escalatedEvent(incident: Incident, level: IncidentLevel): Promise<void> {
    const id = String(incident._id);
    await this.events.append({ incident: id, type: 'escalated', level, key: `${id}.escalated.L${level}${roundSuffix(incident)}` });
  }

  /** A resolve handled while we were recording would have missed these pages: follow up. */
  private async afterRecording(incident: Incident): Promise<void> {
    const now = await this.incidents.findById(incident._id);
    if (now?.state === 'resolved') await this.resolves.followUp(now);
  }
}

/** The escalation round a check belongs to (absent while 0: job ids of never un-acknowledged incidents unchanged). */
function roundOf(incident: Incident): { round?: number } {
  return incident.escalationRound ? { round: incident.escalationRound } : {};
}

/** Pages of a later round are new pages, not retries of the earlier round's (idempotency keys). */
function roundSuffix(incident: Incident): string {
  return incident.escalationRound ? `.u${incident.escalationRound}` : '';
}
