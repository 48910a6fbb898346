import { normaliseMac } from '@isp/domain';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isIPv4 } from 'node:net';
import { ROS_NAME } from '../common/validators';

/** What one lookup box means: any of these may match (a username can look like a MAC). */
export interface SubscriberSearch {
  usernamePrefix?: string;
  /** upper-case colon form */
  mac?: string;
  /** IPv4: the static address or the current session's address */
  address?: string;
}

/**
 * Reads the console's single lookup box: a username prefix, a MAC in any common notation
 * (aa:bb.., AA-BB-.., aabb.ccdd.eeff, aabbccddeeff) or an IPv4 address. Null when it is none of
 * them, so the request is refused rather than silently matching nothing.
 */
export function parseSubscriberSearch(raw: unknown): SubscriberSearch | null {
  if (typeof raw !== 'string') return null;
  const q = raw.trim();
  if (!q) return null;
  const s: SubscriberSearch = {};
  if (ROS_NAME.test(q)) s.usernamePrefix = q;
  const mac = normaliseMac(q);
  if (mac) s.mac = mac;
  if (isIPv4(q)) s.address = q;
  return Object.keys(s).length ? s : null;
}

/** class-validator rule for `q`: the message names the field. */
export const IsSubscriberSearch = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isSubscriberSearch',
      validator: {
        validate: (value) => parseSubscriberSearch(value) !== null,
        defaultMessage: () => 'q must be a username prefix, a MAC address or an IPv4 address',
      },
    },
    options,
  );
