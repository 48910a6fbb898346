import { Injectable, Logger } from '@nestjs/common';
import type { Subscriber } from '@isp/data';
import { JobName, presenceEvents } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { ProvisioningConfig } from '../config/provisioning.config';
import type { RosRow } from '../router-access/router-api';

/**
 * A router pass reads `/ppp/active` and the DHCP leases anyway: what they show against the
 * stored session state (libs/domain presenceEvents) goes to diagnostics as status events of
 * source `reconcile`, so a lost webhook is healed within one pass. Diagnostics decides what the
 * events mean, as for the webhooks; this only reports.
 */
@Injectable()
export class PresenceReporter {
  private readonly log = new Logger(PresenceReporter.name);

  constructor(
    private readonly producer: JobProducer,
    private readonly config: ProvisioningConfig,
  ) {}

  /** `users` read before the router's tables; never throws (the next pass compares again). */
  async report(routerId: string, users: Subscriber[], seen: { active?: RosRow[]; leases?: RosRow[] }, observedAt: Date): Promise<number> {
    if (!seen.active) return 0;
    try {
      const events = presenceEvents({
        routerId,
        stored: users.map((u) => ({ ...u, id: String(u._id) })),
        pppActive: seen.active,
        leases: seen.leases,
        observedAt,
        graceMs: this.config.PRESENCE_GRACE_MS,
      });
      if (events.length) {
        await this.producer.addBulk(JobName.STATUS_EVENT, events);
        this.log.log({ msg: 'sessions differ from the stored state: reconcile events queued', routerId, differences: events.length });
      }
      return events.length;
    } catch (err) {
      this.log.warn({ msg: 'sessions not reported', routerId, error: (err as Error).message });
      return 0;
    }
  }
}
