/**
 * Query parameters that carry credentials (EventSource and Bull Board clients cannot set an
 * Authorization header, so they send a JWT or a ticket in the URL). Their values never reach a
 * log line, whichever route or app logs the URL.
 */
export const REDACTED_QUERY_PARAMS = ['access_token', 'ticket'];

/**
 * Paths pino removes from every log line: router credentials, subscriber passwords, webhook
 * tokens, JWTs. Kept in one list so every app redacts the same things.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-webhook-token"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
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
  ...REDACTED_QUERY_PARAMS.map((p) => `req.query.${p}`),
];

const SECRET_QUERY = new RegExp(`([?&](?:${REDACTED_QUERY_PARAMS.join('|')})=)[^&#]*`, 'gi');

/** The URL with the values of credential query parameters replaced. */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(SECRET_QUERY, '$1[redacted]');
}
