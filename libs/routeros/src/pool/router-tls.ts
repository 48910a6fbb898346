import type { ConnectionOptions } from 'node:tls';

/**
 * TLS options for a router's api-ssl (8729). RouterOS routers mostly carry a self-signed
 * certificate (made on the router with `/certificate add ...` and `sign`): with its PEM stored on
 * the router record it is trusted as its own CA, so only the router holding its key gets in. The
 * name check is skipped for that pinned certificate because it names the router (CN), not the
 * address we dial. Without a stored certificate the router's must chain to a public CA and match
 * the host, as Node checks by default.
 */
export function routerTls(tls: boolean, certificate?: string | null): boolean | ConnectionOptions {
  if (!tls) return false;
  if (!certificate) return true;
  return { ca: certificate, checkServerIdentity: () => undefined };
}

/** What of the TLS settings matters for reusing a connection (options objects differ per call). */
export function tlsIdentity(tls: boolean | ConnectionOptions | undefined): string {
  return typeof tls === 'object' ? `pinned:${String(tls.ca ?? '')}` : String(Boolean(tls));
}
