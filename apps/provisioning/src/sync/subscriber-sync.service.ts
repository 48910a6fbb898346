import { Inject, Injectable, Logger } from '@nestjs/common';
import { JobName, PermanentError, RetryableError, SecretBox, SyncStatus } from '@isp/domain';
import { JobProducer, SECRET_BOX } from '@isp/platform';
import { adoptionOf, MikrotikRouterRepository, PlanRepository, SubscriberRepository, type MikrotikRouter, type Plan, type Subscriber } from '@isp/data';
import { ProvisioningConfig } from '../config/provisioning.config';
import { planProfiles } from '../planning/plan.planner';
import { planSubscribers, type DesiredSubscriber, type SubscriberPolicy } from '../planning/subscriber.planner';
import { planSuspension, type SuspensionPolicy } from '../planning/suspension.planner';
import { classifyFailure, errorMessage, LOGIN_ERROR_PREFIX } from '../router-access/router-failure';
import { DepartureService } from './departure.service';
import { formerNamesHere, toDesiredSubscriber } from './desired-subscriber';
import { PlanExecutor } from './plan-executor';
import { RouterReader } from './router-reader';

export type SyncOutcome =
  | { result: 'synced'; writes: number; kicked: number }
  | { result: 'skipped'; reason: string }
  | { result: 'error'; error: string };

/** A router whose login was refused: syncs fail fast until credentials change or a reconcile gets in. */
export function isLoginBlocked(router: Pick<MikrotikRouter, 'syncStatus' | 'syncError'>): boolean {
  return router.syncStatus === SyncStatus.ERROR && (router.syncError ?? '').startsWith(LOGIN_ERROR_PREFIX);
}

/**
 * Makes routers hold the subscribers' desired state. Reads the subscriber from the database
 * (never from the job), reads the router, writes only the difference, and records the outcome
 * on the subscriber (appliedVersion, syncStatus, syncError, lastSyncedAt) and on the router.
 */
@Injectable()
export class SubscriberSyncService {
  private readonly logger = new Logger(SubscriberSyncService.name);

  constructor(
    private readonly users: SubscriberRepository,
    private readonly routers: MikrotikRouterRepository,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly config: ProvisioningConfig,
    private readonly reader: RouterReader,
    private readonly executor: PlanExecutor,
    private readonly producer: JobProducer,
    private readonly plans: PlanRepository,
    private readonly departures: DepartureService,
  ) {}

  policy(): SubscriberPolicy {
    return {
      suspendedProfile: this.config.SUSPENDED_PROFILE,
      suspendedList: this.config.SUSPENDED_ADDRESS_LIST,
      suspendedRateLimit: this.config.SUSPENDED_RATE_LIMIT,
      suspendMode: this.config.SUSPEND_MODE,
    };
  }

  suspensionPolicy(): SuspensionPolicy {
    return { list: this.config.SUSPENDED_ADDRESS_LIST, gardenList: this.config.SUSPENDED_WALLED_GARDEN_LIST, garden: this.config.SUSPENDED_WALLED_GARDEN };
  }

  async syncUser(userId: string): Promise<SyncOutcome> {
    const user = await this.users.findById(userId);
    if (!user) return { result: 'skipped', reason: 'subscriber no longer exists (reconcile cleans up its entries)' };
    const router = await this.routers.findById(user.router);
    if (!router) {
      await this.users.markSyncFailed(user._id, SyncStatus.ERROR, 'router not found');
      throw new PermanentError(`subscriber ${user.username}: router ${String(user.router)} not found`, 'ROUTER_MISSING');
    }
    const routerId = String(router._id);
    if (isLoginBlocked(router)) {
      // One refused login is enough: no connection attempts until credentials change.
      await this.users.markSyncFailed(user._id, SyncStatus.ERROR, router.syncError!);
      throw new PermanentError(`router ${router.name}: ${router.syncError}`, 'ROUTER_LOGIN');
    }
    const adoption = adoptionOf(router);
    if (adoption === 'pending' || adoption === 'approved') {
      // Not ours to write yet: the router's adoption pass applies this subscriber with the rest.
      const reason = `router ${router.name} awaiting adoption (POST /api/v1/routers/${routerId}/adopt); applied by its adoption pass`;
      await this.users.markSyncFailed(user._id, SyncStatus.PENDING, reason);
      return { result: 'skipped', reason };
    }
    const version = user.desiredVersion;
    const plan = user.planId ? await this.plans.findById(user.planId) : null;
    const taken = new Set<string>();
    for (const e of user.leftBehind ?? []) {
      if (String(e.router) !== routerId) continue;
      const other = await this.users.findByRouterAndUsername(routerId, e.username);
      if (other && String(other._id) !== userId) taken.add(e.username);
    }
    const formerNames = formerNamesHere(user, taken);
    const desired = await this.desiredOrRecord(user, plan ? new Map([[String(plan._id), plan]]) : undefined, formerNames);
    if (!desired) return { result: 'error', error: 'desired state cannot be built' };

    try {
      let writes = 0;
      let kicked = 0;
      let unresolved = '';
      // Read, plan, apply, and read again: synced only once a read finds nothing left to do (a
      // suspended user's session gone or under the suspended profile, the suspension rules in
      // place). A write refused because another worker got there first is resolved by reading again.
      for (let attempt = 1; ; attempt++) {
        const observed = await this.reader.oneSubscriber(routerId, desired, this.config.SUSPENDED_ADDRESS_LIST, this.config.SUSPENDED_PROFILE);
        const subPlan = planSubscribers({ users: [desired], observed, policy: this.policy() });
        // A PPPoE subscriber's plan is its profile: created or brought in line first.
        const profiles = desired.plan && desired.serviceType === 'pppoe' ? planProfiles([desired.plan], observed.profiles) : { ops: [], conflicts: [] };
        const plan = { ops: [...profiles.ops, ...subPlan.ops], conflicts: [...profiles.conflicts, ...subPlan.conflicts] };
        const ops = desired.isSuspended ? [...plan.ops, ...planSuspension({ policy: this.suspensionPolicy(), ...(await this.reader.suspensionRows(routerId, this.suspensionPolicy())) })] : plan.ops;
        if (!ops.length && !plan.conflicts.length) break;
        if (attempt >= 3) {
          // Typically a session the router would not end: the suspension is not enforced yet.
          const error = `not enforced yet: ${unresolved || ops.map((o) => o.why).join('; ')}`.slice(0, 1000);
          await this.users.markSyncFailed(user._id, SyncStatus.PENDING, error);
          throw new RetryableError(`subscriber ${user.username}: ${error}`, 'NOT_ENFORCED');
        }
        const applied = await this.executor.apply(routerId, ops, this.config.ROUTER_MAX_CONCURRENT);
        writes += applied.writes;
        kicked += applied.kicked;
        unresolved = [...applied.unkicked.values()].join('; ');
        const problems = [...applied.refused.values(), ...applied.otherErrors, ...plan.conflicts];
        if (problems.length && (attempt >= 2 || plan.conflicts.length)) {
          const error = problems.join('; ').slice(0, 1000);
          await this.users.markSyncFailed(user._id, SyncStatus.ERROR, error);
          await this.routerReachable(router, true);
          return { result: 'error', error };
        }
      }
      // A rename's old name is gone from this router (secret renamed or removed, session ended).
      if (user.leftBehind?.length) await this.users.clearLeftBehind(user._id, routerId, (user.leftBehind ?? []).filter((e) => String(e.router) === routerId).map((e) => e.username));
      // A move: the old router must lose what it had before the subscriber counts as synced.
      const left = await this.departures.leave(user);
      if (left.length) {
        const error = left.join('; ').slice(0, 1000);
        await this.users.markSyncFailed(user._id, SyncStatus.PENDING, error);
        throw new RetryableError(`subscriber ${user.username}: ${error}`, 'DEPARTURE_PENDING');
      }
      await this.users.markApplied(user._id, version);
      await this.routerReachable(router, true);
      if (writes) this.logger.log({ msg: 'subscriber synced', userId, router: router.name, writes, kicked });
      return { result: 'synced', writes, kicked };
    } catch (err) {
      // The router answered but did not end the session: not a router failure (recorded above).
      if (err instanceof RetryableError && (err.code === 'NOT_ENFORCED' || err.code === 'DEPARTURE_PENDING')) throw err;
      return this.routerFailed(router, [user], err);
    }
  }

  /** Builds the router-side view of a subscriber; a subscriber that cannot have one is recorded as error. */
  async desiredOrRecord(user: Subscriber, plans?: ReadonlyMap<string, Plan>, formerNames?: string[]): Promise<DesiredSubscriber | null> {
    try {
      return toDesiredSubscriber(user, this.box, plans, formerNames);
    } catch (err) {
      await this.users.markSyncFailed(user._id, SyncStatus.ERROR, errorMessage(err));
      return null;
    }
  }

  /**
   * The router answered. If it had been away (or refused us), note it and sync everything that
   * piled up meanwhile: one syncRouter job, deduplicated per router across replicas.
   */
  async routerReachable(router: Pick<MikrotikRouter, '_id' | 'syncStatus'>, enqueuePending: boolean): Promise<void> {
    if (router.syncStatus === SyncStatus.SYNCED) return;
    await this.routers.setSyncStatus(router._id, SyncStatus.SYNCED);
    if (enqueuePending) await this.producer.add(JobName.SYNC_ROUTER, { routerId: String(router._id) });
  }

  /**
   * A router-wide pass had writes refused for these subscribers (often a race with a per-user
   * sync). Each gets its own syncUser, which reads again and records an error only if the
   * refusal stands.
   */
  async handOver(refused: Map<string, string>): Promise<void> {
    // also sessions the router would not end: the subscriber's own sync insists until they are gone
    for (const [userId, msg] of refused) {
      await this.users.markSyncFailed(userId, SyncStatus.PENDING, msg);
      await this.producer.add(JobName.SYNC_USER, { userId });
    }
  }

  /**
   * Records a failed router call and rethrows it: a refused login on the router and its
   * subscribers (permanent, not retried), anything else as "router away" (BullMQ retries with
   * backoff; the subscribers stay pending).
   */
  async routerFailed(router: MikrotikRouter, users: Pick<Subscriber, '_id' | 'syncStatus'>[], err: unknown): Promise<never> {
    const kind = classifyFailure(err);
    const msg = errorMessage(err);
    if (kind === 'login') {
      await this.routers.setSyncStatus(router._id, SyncStatus.ERROR, `${LOGIN_ERROR_PREFIX}: ${msg}`);
      for (const u of users) await this.users.markSyncFailed(u._id, SyncStatus.ERROR, `${LOGIN_ERROR_PREFIX}: ${msg}`);
      this.logger.error({ msg: 'router refused the API login; syncs stop until its credentials change', router: router.name });
      throw new PermanentError(`${LOGIN_ERROR_PREFIX}: ${msg}`, 'ROUTER_LOGIN');
    }
    if (kind === 'retryable') {
      if (router.syncStatus === SyncStatus.SYNCED) await this.routers.setSyncStatus(router._id, SyncStatus.PENDING, msg);
      // A batch's subscribers are pending already; a single one gets the reason recorded.
      if (users.length === 1) await this.users.markSyncFailed(users[0]._id, SyncStatus.PENDING, msg);
    } else {
      for (const u of users) await this.users.markSyncFailed(u._id, SyncStatus.ERROR, msg);
    }
    throw err;
  }
}
