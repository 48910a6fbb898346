import { PermanentError, SecretBox } from '@isp/domain';
import { type Subscriber } from '@isp/data';
import type { DesiredSubscriber } from '../planning/subscriber.planner';

/** The database record -> what the router should hold. The password is decrypted here only. */
export function toDesiredSubscriber(user: Subscriber, box: SecretBox): DesiredSubscriber {
  let password: string | undefined;
  if (user.password) {
    try {
      password = SecretBox.isEncrypted(user.password) ? box.decrypt(user.password, 'subscriber.password', user._id) : undefined;
    } catch {
      throw new PermanentError(`subscriber ${user.username}: stored password cannot be decrypted (key missing, or the value was not encrypted for this subscriber)`, 'PASSWORD_DECRYPT');
    }
    if (password === undefined) throw new PermanentError(`subscriber ${user.username}: stored password is not encrypted`, 'PASSWORD_PLAIN');
  }
  return {
    id: String(user._id),
    username: user.username,
    password,
    serviceType: user.serviceType ?? 'pppoe',
    staticIp: user.staticIp || undefined,
    macAddress: user.macAddress || undefined,
    profile: user.profile || 'default',
    isSuspended: !!user.isSuspended,
    rateLimit: user.rateLimit || undefined,
  };
}
