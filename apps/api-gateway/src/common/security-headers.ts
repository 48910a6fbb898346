import type { FastifyInstance } from 'fastify';

/** What every answer carries (helmet's defaults, set here so they cover every route and plugin). */
const COMMON: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-dns-prefetch-control': 'off',
  'x-permitted-cross-domain-policies': 'none',
  'origin-agent-cluster': '?1',
};

/** JSON answers load nothing and may be framed by nobody. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** Swagger UI and Bull Board are pages served from here: their own scripts, styles and images only. */
const PAGE_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/** Adds the security headers to every answer; `pages` are the path prefixes of HTML UIs. */
export function addSecurityHeaders(fastify: FastifyInstance, pages: string[]): void {
  fastify.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0];
    void reply.headers({ ...COMMON, 'content-security-policy': pages.some((p) => path.startsWith(p)) ? PAGE_CSP : API_CSP });
  });
}
