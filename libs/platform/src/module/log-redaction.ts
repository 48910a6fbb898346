/**
 * Query parameters that carry credentials (EventSource and Bull Board clients cannot set an
 * Authorization header, so they send a JWT or a ticket in the URL; an acknowledge link is its
 * own credential). Their values never reach a
 * log line, whichever route or app logs the URL.
 */
export const REDACTED_QUERY_PARAMS = ['access_token', 'ticket', 'ack_token'];

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

/**
 * A request URL with the values of credential-bearing query parameters replaced, for logging:
 * path-based redaction (REDACT_PATHS) cannot reach inside the URL string. Names are compared
 * decoded and case-blind, so `access%5Ftoken` or `TICKET` do not slip through.
 */
export function redactUrl(url: string | undefined): string | undefined {
  if (!url || !url.includes('?')) return url;
  const q = url.indexOf('?');
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        /* keep the raw name */
      }
      return REDACTED_QUERY_PARAMS.includes(decoded.toLowerCase()) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}
