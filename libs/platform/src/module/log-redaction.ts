/**
 * Paths pino removes from every log line: router credentials, subscriber passwords, webhook
 * tokens, JWTs. Kept in one list so every app redacts the same things.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-webhook-token"]',
  'req.headers.cookie',
  'password',
  'apiPassword',
  'token',
  'webhookToken',
  '*.password',
  '*.apiPassword',
  '*.token',
  '*.webhookToken',
  '*.secret',
  'body.password',
  'req.body.password',
];
