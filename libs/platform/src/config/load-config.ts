import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError as CvError } from 'class-validator';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Variables whose value is a secret by name (keyrings, JWT secrets, auth headers and tokens,
 * passwords, private keys). A start-up error names them and the rule, never the value: the
 * message lands in the container log.
 */
const SECRET_NAME = /SECRET|PASSWORD|PASSWD|TOKEN|AUTH|KEY|CREDENTIAL|PRIVATE|COOKIE|SESSION/i;

/** Query parameters of a URL that carry a secret (an SMS gateway's api_key, a token...). */
const SECRET_PARAM = /SECRET|PASS|TOKEN|AUTH|KEY|SIG|CREDENTIAL/i;

/**
 * What a config error may show of a rejected value: nothing for a secret variable, a URL with its
 * password and secret query parameters masked, anything else as given.
 */
export function printableValue(name: string, value: unknown): string {
  if (value === undefined) return 'nothing';
  if (SECRET_NAME.test(name)) return 'a value that is not shown';
  if (typeof value !== 'string') return JSON.stringify(value);
  // Userinfo is everything between "scheme://" (if any: a rejected URL may lack it) and the last
  // "@" before the path: hides "user:pass@" even when the password holds "@" or does not parse.
  const masked = value
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/?#]*@/i, (_all, scheme?: string) => `${scheme ?? ''}***@`)
    .replace(/([?&])([^=&#]+)=([^&#]*)/g, (all, sep: string, key: string) => (SECRET_PARAM.test(key) ? `${sep}${key}=***` : all));
  return JSON.stringify(masked);
}

function describe(errors: CvError[], raw: Record<string, unknown>, prefix = ''): string[] {
  return errors.flatMap((e) => {
    const key = `${prefix}${e.property}`;
    // One line per variable: the first failed rule says enough. Messages come from the schemas
    // (no `$value` in them), so the rule never repeats the value either.
    const first = Object.values(e.constraints ?? {})[0];
    const got = prefix ? e.value : raw[e.property];
    const own = first ? [`${key}: ${first} (got ${printableValue(key, got)})`] : [];
    return [...own, ...describe(e.children ?? [], raw, `${key}.`)];
  });
}

/**
 * Validates an environment (usually process.env, passed in by the app's config module, the only
 * reader of it) against a class-validator schema. Every bad variable is named in one error.
 */
export function loadConfig<T extends object>(schema: new () => T, env: Record<string, string | undefined>): T {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const instance = plainToInstance(schema, defined, { enableImplicitConversion: true, exposeDefaultValues: true });
  const errors = validateSync(instance, { whitelist: false, forbidUnknownValues: false });
  if (errors.length) throw new ConfigError(describe(errors, defined));
  return instance;
}
