import { Injectable, Logger } from '@nestjs/common';
import { SyncStatus } from '@isp/domain';
import { MikrotikRouterRepository, SubscriberRepository, type Subscriber } from '@isp/data';
import { ProvisioningConfig } from '../config/provisioning.config';
import { planDeparture } from '../planning/departure.planner';
import { classifyFailure, errorMessage } from '../router-access/router-failure';
import { PlanExecutor } from './plan-executor';
import { RouterReader } from './router-reader';

/**
 * The second half of a move: what the subscriber left on its old router (its secret, queue,
 * list entries, lease, its session) goes, read-plan-apply until a read finds nothing left, and
 * only then is the `leftBehind` entry dropped. A router that cannot be reached keeps the entry
 * (and is marked pending: its next pass removes the rows too), so the removal is never lost.
 */
@Injectable()
export class DepartureService {
  private readonly logger = new Logger(DepartureService.name);

  constructor(
    private readonly users: SubscriberRepository,
    private readonly routers: MikrotikRouterRepository,
    private readonly reader: RouterReader,
    private readonly executor: PlanExecutor,
    private readonly config: ProvisioningConfig,
  ) {}

  /** Old routers of a moved subscriber, cleaned; returns what is still left (empty: done). */
  async leave(user: Subscriber): Promise<string[]> {
    const byRouter = new Map<string, string[]>();
    for (const e of user.leftBehind ?? []) {
      if (String(e.router) === String(user.router)) continue;
      byRouter.set(String(e.router), [...(byRouter.get(String(e.router)) ?? []), e.username]);
    }
    const pending: string[] = [];
    for (const [routerId, names] of byRouter) {
      const problem = await this.leaveRouter(user, routerId, names);
      if (problem) pending.push(problem);
    }
    return pending;
  }

  private async leaveRouter(user: Subscriber, routerId: string, names: string[]): Promise<string | null> {
    const userId = String(user._id);
    const router = await this.routers.findById(routerId);
    if (!router) {
      // The router is gone from the database: nothing of ours can be reached there any more.
      await this.users.clearLeftBehind(userId, routerId, names);
      return null;
    }
    // A name another subscriber of that router has now: its session is theirs.
    const taken = new Set<string>();
    for (const n of names) if (await this.users.findByRouterAndUsername(routerId, n)) taken.add(n);
    try {
      let last = '';
      for (let attempt = 1; attempt <= 3; attempt++) {
        const ops = planDeparture({ userId, names }, await this.reader.departureRows(routerId, userId, names), taken);
        if (!ops.length) {
          await this.users.clearLeftBehind(userId, routerId, names);
          this.logger.log({ msg: 'subscriber left its old router', userId, router: router.name, names });
          return null;
        }
        const applied = await this.executor.apply(routerId, ops, this.config.ROUTER_MAX_CONCURRENT);
        last = [...applied.refused.values(), ...applied.unkicked.values(), ...applied.otherErrors].join('; ');
      }
      return `old router ${router.name}: not cleaned yet: ${last || 'rows still there after 3 rounds'}`;
    } catch (err) {
      if (classifyFailure(err) === 'retryable' && router.syncStatus === SyncStatus.SYNCED) {
        // Its next pass (when it answers again, or the periodic one) removes the rows as well.
        await this.routers.setSyncStatus(router._id, SyncStatus.PENDING, errorMessage(err));
      }
      return `old router ${router.name}: ${errorMessage(err)}`;
    }
  }
}
