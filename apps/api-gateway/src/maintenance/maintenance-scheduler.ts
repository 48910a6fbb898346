import { Injectable, Logger } from '@nestjs/common';
import { windowRules, type MaintenanceWindow } from '@isp/data';
import { JOB_QUEUE, JobName, currentOrNextOccurrence } from '@isp/domain';
import { JobProducer, maintenanceEndedJobId } from '@isp/platform';

/**
 * A window's end job on notification-queue (the notifier pages what the window held back): one
 * delayed job at the end of the running or next occurrence, moved when the window is edited and
 * brought forward to now when it is ended early or deleted. Job ids name the window and the end,
 * so replicas of the gateway add it once.
 */
@Injectable()
export class MaintenanceScheduler {
  private readonly log = new Logger(MaintenanceScheduler.name);

  constructor(private readonly producer: JobProducer) {}

  async schedule(w: MaintenanceWindow, now = new Date()): Promise<void> {
    const occ = currentOrNextOccurrence(windowRules(w), now);
    if (!occ) return;
    await this.producer.add(JobName.MAINTENANCE_ENDED, { windowId: String(w._id), endsAt: occ.end.toISOString() }, { delay: Math.max(0, occ.end.getTime() - now.getTime()) });
  }

  /** Removes the end job scheduled for the window as it was (a job already running is left to finish: it only re-checks). */
  async unschedule(before: MaintenanceWindow, now = new Date()): Promise<void> {
    const occ = currentOrNextOccurrence(windowRules(before), now);
    if (!occ) return;
    const jobId = maintenanceEndedJobId(String(before._id), occ.end);
    await this.producer
      .queue(JOB_QUEUE[JobName.MAINTENANCE_ENDED])
      .remove(jobId)
      .catch((err: Error) => this.log.warn(`end job ${jobId} not removed: ${err.message}`));
  }

  /** The window stops now: what it held back is looked at at once. */
  async endNow(windowId: string, at = new Date()): Promise<void> {
    await this.producer.add(JobName.MAINTENANCE_ENDED, { windowId, endsAt: at.toISOString() });
  }
}
