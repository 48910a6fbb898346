import { Injectable, Logger } from '@nestjs/common';
import { IncidentRepository, NotificationRepository, type Incident } from '@isp/data';

import { decideRepage, effectiveLevel, type RepageCheckJob } from '@isp/domain';
import { NotifierConfig } from '../config/notifier.config';
import { AlertContextService } from './alert-context.service';
import { NotificationIntentService, impactOf } from './notification-intent.service';
import { ResolveFollowService } from './resolve-follow.service';
import { MaintenanceHoldService } from '../maintenance/maintenance-hold.service';

const PAGE_KINDS = ['opened', 'grown', 'escalated'];

/**
 * Growth of an incident, looked at once per merge window (the check is a delayed job deduplicated
 * per incident, so five growths within the window make one check that reads the incident as it is
 * then). A page goes out only when decideRepage says it changes something for the reader.
 */
@Injectable()
export class RepageService {
  private readonly logger = new Logger(RepageService.name);

  constructor(
    private readonly incidents: IncidentRepository,
    private readonly notifications: NotificationRepository,
    private readonly context: AlertContextService,
    private readonly intents: NotificationIntentService,
    private readonly resolves: ResolveFollowService,
    private readonly maintenance: MaintenanceHoldService,
    private readonly config: NotifierConfig,
  ) {}

  async check(job: RepageCheckJob): Promise<string> {
    const incident = await this.incidents.findById(job.incidentId);
    if (!incident) return 'skipped: incident gone';
    const paged = (await this.notifications.find({ incident: incident._id }, 5000)).filter(
      (n) => n.contact && n.channel !== 'dashboard' && PAGE_KINDS.includes(n.kind) && n.status !== 'skipped' && n.status !== 'suppressed',
    );
    const level = effectiveLevel(incident);
    const decision = decideRepage({
      state: incident.state,
      level,
      pagedLevel: paged.length ? Math.max(...paged.map((n) => n.level ?? incident.level)) : null,
      pagedImpact: paged[0]?.impact ?? 0, // newest first
      impact: impactOf(incident),
      factor: this.config.REPAGE_IMPACT_FACTOR,
    });
    if (!decision.page) return `no page: ${decision.reason}`;
    if (await this.maintenance.holdBack(incident)) return 'no page: in maintenance';
    const plan = await this.context.plan(incident, level);
    const message = await this.context.render('grown', incident, level);
    const r = await this.intents.record({ incident, kind: 'grown', suffix: `p${incident.revision}`, pages: plan.pages, dashboard: false, message, level, dropped: plan.dropped });
    this.logger.log(`incident ${job.incidentId} re-paged (${decision.reason}): ${r.recorded} recorded`);
    await this.afterRecording(incident);
    return `paged: ${decision.reason}`;
  }

  private async afterRecording(incident: Incident): Promise<void> {
    const now = await this.incidents.findById(incident._id);
    if (now?.state === 'resolved') await this.resolves.followUp(now);
  }
}
