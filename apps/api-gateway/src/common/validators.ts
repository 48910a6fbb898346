import { Transform } from 'class-transformer';
import { Matches } from 'class-validator';
import { NO_CONTROL_CHARS } from '@isp/domain';

/** Query strings arrive as text: "true"/"1" is true, "false"/"0" is false, anything else stays and fails @IsBoolean. */
export const QueryBoolean = () =>
  Transform(({ obj, key }) => {
    const raw = (obj as Record<string, unknown>)[key];
    if (raw === 'true' || raw === '1' || raw === true) return true;
    if (raw === 'false' || raw === '0' || raw === false) return false;
    return raw;
  });

/** IPv4 dotted quad. */
export const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** MAC address, colon or dash separated. */
export const MAC = /^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$/;
/** RouterOS rate-limit "rx/tx" e.g. 10M/50M (bursts allowed after a space). */
export const RATE_LIMIT = /^\d+[kKmMgG]?\/\d+[kKmMgG]?( [0-9kKmMgG/ ]+)?$/;
/** Names the router accepts in PPP usernames/profiles without quoting trouble. */
export const ROS_NAME = /^[A-Za-z0-9@._+-]{1,64}$/;

/**
 * A name that reaches a router's scripts and comes back in its webhooks: no control characters
 * (libs/domain script-safe-name explains why); the 400 names the field.
 */
export const NoControlChars = () => Matches(NO_CONTROL_CHARS, { message: ({ property }) => `${property} must not contain control characters (tab, newline...): the router sends it back in its webhooks` });
