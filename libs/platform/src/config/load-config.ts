import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError as CvError } from 'class-validator';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

function describe(errors: CvError[], raw: Record<string, unknown>, prefix = ''): string[] {
  return errors.flatMap((e) => {
    const key = `${prefix}${e.property}`;
    // One line per variable: the first failed rule says enough.
    const first = Object.values(e.constraints ?? {})[0];
    const got = prefix ? e.value : raw[e.property];
    const own = first ? [`${key}: ${first} (got ${got === undefined ? 'nothing' : JSON.stringify(got)})`] : [];
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
