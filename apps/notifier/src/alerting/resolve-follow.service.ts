import { Injectable, Logger } from '@nestjs/common';
import { NotificationRepository, type Incident } from '@isp/data';
import { effectiveLevel, planResolve, type PageChannel, type PriorPage } from '@isp/domain';
import { AlertContextService } from './alert-context.service';
import { NotificationIntentService } from './notification-intent.service';

/**
 * The RESOLVED of an incident. Pages not yet handed to a provider are suppressed first (nothing
 * older than the RESOLVED may arrive after it), then the resolve follows every page that went or
 * is going out (opened, grown, escalated, whatever routing, rosters or suppression say now).
 * Idempotent: every path that records pages calls it again when it finds the incident resolved
 * after recording, so a page recorded while the resolve was being handled is either suppressed
 * or followed.
 */
@Injectable()
export class ResolveFollowService {
  private readonly logger = new Logger(ResolveFollowService.name);

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly context: AlertContextService,
    private readonly intents: NotificationIntentService,
  ) {}

  async followUp(incident: Incident): Promise<string> {
    if (incident.state !== 'resolved') return `skipped: incident is ${incident.state}`;
    const suppressed = await this.notifications.suppressPending(incident._id, 'incident resolved before this page went out');
    const prior: PriorPage[] = (await this.notifications.find({ incident: incident._id }, 5000))
      .filter((n) => n.contact && n.channel !== 'dashboard')
      .map((n) => ({ contactId: String(n.contact), contactName: n.recipient, channel: n.channel as PageChannel, address: n.recipient, kind: n.kind, priority: n.priority, status: n.status }))
      .reverse(); // oldest first: the opening page's record decides the address
    const pages = planResolve(prior).map((p) => ({ ...p, contactName: p.contactName.replace(/^chat:/, '') }));
    const level = effectiveLevel(incident);
    const plan = await this.context.plan(incident, level);
    const message = await this.context.render('resolved', incident, level);
    const r = await this.intents.record({ incident, kind: 'resolved', pages, dashboard: plan.dashboard, message, level });
    if (suppressed) this.logger.log(`incident ${String(incident._id)} resolved: ${suppressed} pending page(s) suppressed`);
    return `resolved: ${r.recorded} recorded for ${pages.length} earlier pages, ${suppressed} suppressed`;
  }
}
