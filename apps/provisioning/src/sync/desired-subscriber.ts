import { PermanentError, SecretBox } from '@isp/domain';
import { type Plan, type Subscriber } from '@isp/data';
import type { DesiredPlan } from '../planning/plan.planner';
import type { DesiredSubscriber } from '../planning/subscriber.planner';

export function toDesiredPlan(p: Plan): DesiredPlan {
  const { _id, name, download, upload, burstDownload, burstUpload, burstThresholdDownload, burstThresholdUpload, burstTime, limitAtDownload, limitAtUpload, priority, addressList } = p;
  return { id: String(_id), name, download, upload, burstDownload, burstUpload, burstThresholdDownload, burstThresholdUpload, burstTime, limitAtDownload, limitAtUpload, priority, addressList };
}

/**
 * The names this subscriber left behind on its current router (a rename), minus names another
 * subscriber of that router has now (their sessions are not ours to end). `takenNames` may hold
 * the subscriber's own name: an old name is never the current one.
 */
export function formerNamesHere(user: Subscriber, takenNames: ReadonlySet<string>): string[] {
  return (user.leftBehind ?? []).filter((e) => String(e.router) === String(user.router) && e.username !== user.username && !takenNames.has(e.username)).map((e) => e.username);
}

/**
 * The database record -> what the router should hold. The password is decrypted here only.
 * `plans`: the plans by id (a subscriber on a plan needs it: its name is the profile).
 */
export function toDesiredSubscriber(user: Subscriber, box: SecretBox, plans: ReadonlyMap<string, Plan> = new Map(), formerNames: string[] = []): DesiredSubscriber {
  let password: string | undefined;
  if (user.password) {
    try {
      password = SecretBox.isEncrypted(user.password) ? box.decrypt(user.password, 'subscriber.password', user._id) : undefined;
    } catch {
      throw new PermanentError(`subscriber ${user.username}: stored password cannot be decrypted (key missing, or the value was not encrypted for this subscriber)`, 'PASSWORD_DECRYPT');
    }
    if (password === undefined) throw new PermanentError(`subscriber ${user.username}: stored password is not encrypted`, 'PASSWORD_PLAIN');
  }
  const plan = user.planId ? plans.get(String(user.planId)) : undefined;
  if (user.planId && !plan) throw new PermanentError(`subscriber ${user.username}: plan ${String(user.planId)} does not exist`, 'PLAN_MISSING');
  return {
    id: String(user._id),
    username: user.username,
    password,
    serviceType: user.serviceType ?? 'pppoe',
    staticIp: user.staticIp || undefined,
    macAddress: user.macAddress || undefined,
    profile: plan ? plan.name : user.profile || 'default',
    isSuspended: !!user.isSuspended,
    rateLimit: user.rateLimit || undefined,
    ...(plan && { plan: toDesiredPlan(plan) }),
    ...(formerNames.length && { formerNames }),
  };
}
