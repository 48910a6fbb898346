import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length, Matches, MaxLength, ValidateBy } from 'class-validator';
import { WEBHOOK_LIMITS } from '@isp/domain';
import { normaliseMac, parseRouterTime, ROUTER_TIME_SHAPES, sanitiseText } from '../normalise';

/**
 * Field decorators shared by the webhook DTOs. RouterOS scripts send "" for a value they do not
 * have (no caller id, no hostname), so an empty optional field counts as absent.
 */
export const PRINTABLE = /^[^\p{Cc}\p{Cs}]*$/u;
const MAC_FORM = /^([0-9A-F]{2}:){5}[0-9A-F]{2}$/;

const emptyToUndefined = () => Transform(({ value }) => (value === '' ? undefined : value));

export function OptionalText(max: number): PropertyDecorator {
  return (target, key) => {
    emptyToUndefined()(target, key);
    IsOptional()(target, key);
    IsString({ message: `${String(key)} must be a string` })(target, key);
    MaxLength(max, { message: `${String(key)} must be at most ${max} characters` })(target, key);
    Matches(PRINTABLE, { message: `${String(key)} must not contain control characters` })(target, key);
  };
}

/** Text the subscriber controls (a DHCP client's hostname): cleaned, never a reason to drop the event. */
export function LenientText(max: number): PropertyDecorator {
  return (target, key) => {
    Transform(({ value }) => (typeof value === 'string' ? sanitiseText(value, max) || undefined : value))(target, key);
    IsOptional()(target, key);
    IsString({ message: `${String(key)} must be a string` })(target, key);
  };
}

/** A MAC in any case and separator, normalised to upper-case colon form before validation. */
export function MacField(opts: { optional?: boolean } = {}): PropertyDecorator {
  return (target, key) => {
    Transform(({ value }) => (value === '' && opts.optional ? undefined : (normaliseMac(value) ?? value)))(target, key);
    if (opts.optional) IsOptional()(target, key);
    IsString({ message: `${String(key)} must be a string` })(target, key);
    Matches(MAC_FORM, { message: `${String(key)} must be a MAC address (e.g. AA:BB:CC:DD:EE:FF, any case or separator)` })(target, key);
  };
}

/** The router clock, in either RouterOS date shape (see parseRouterTime). */
export function RouterTime(): PropertyDecorator {
  return (target, key) => {
    emptyToUndefined()(target, key);
    IsOptional()(target, key);
    IsString({ message: `${String(key)} must be a string` })(target, key);
    ValidateBy({ name: 'isRouterTime', validator: { validate: isRouterTime, defaultMessage: () => ROUTER_TIME_MESSAGE } })(target, key);
  };
}

function isRouterTime(value: unknown): boolean {
  return typeof value === 'string' && value.length <= WEBHOOK_LIMITS.ts && parseRouterTime(value) !== null;
}

export const ROUTER_TIME_MESSAGE = `ts must be the router clock as ${ROUTER_TIME_SHAPES}`;

export function Username(): PropertyDecorator {
  return (target, key) => {
    IsString({ message: `${String(key)} must be a string` })(target, key);
    Length(1, WEBHOOK_LIMITS.username, { message: `${String(key)} must be 1 to ${WEBHOOK_LIMITS.username} characters` })(target, key);
    Matches(PRINTABLE, { message: `${String(key)} must not contain control characters` })(target, key);
  };
}
