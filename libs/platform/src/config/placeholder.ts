import { ValidateBy } from 'class-validator';

/**
 * Values that documentation and example files use for secrets (k8s/secrets.example.env,
 * docker-compose.yml): a deployment that copied one would run with a key anyone can read.
 * Matched anywhere in the value, case-insensitively, so "CHANGE-ME-example-only" and
 * "redis://:CHANGE-ME@redis" are both caught.
 */
const PLACEHOLDER = /change[-_ ]?me|placeholder|not[-_ ]for[-_ ]production|example[-_ ]only|example[-_ ]jwt/i;

/** True when a keyring ("kid:base64[,kid:base64...]") holds a key whose bytes are all equal (the example's 32 zero bytes). */
export function hasPlaceholderKey(keyring: string): boolean {
  return keyring.split(',').some((entry) => {
    const key = Buffer.from(entry.split(':')[1] ?? '', 'base64');
    return key.length > 0 && key.every((b) => b === key[0]);
  });
}

export function isPlaceholderSecret(value: unknown): boolean {
  return typeof value === 'string' && PLACEHOLDER.test(value);
}

/**
 * Refuses the known placeholder values at start-up: the error names the variable and the rule,
 * never the value (see load-config's printableValue). `keyring` also refuses keys whose bytes are
 * all equal in a SECRETS_KEYS-style keyring.
 */
export function NotPlaceholder(kind: 'value' | 'keyring' = 'value'): PropertyDecorator {
  return ValidateBy({
    name: 'notPlaceholder',
    validator: {
      validate: (value: unknown) => !isPlaceholderSecret(value) && !(kind === 'keyring' && typeof value === 'string' && hasPlaceholderKey(value)),
      defaultMessage: (args) =>
        kind === 'keyring'
          ? `${args?.property} holds a placeholder key (an example value or all bytes equal): generate one with \`openssl rand -base64 32\``
          : `${args?.property} holds a placeholder from an example file (CHANGE-ME and the like): set a real value`,
    },
  });
}
