import type { SecretBox } from '@isp/domain';
import type { RouterEndpoint } from './router-connection-pool';
import { routerTls } from './router-tls';

/** What the resolver reads of a router record (the data library's MikrotikRouter has these). */
export interface RouterAccessRecord {
  host: string;
  apiPort: number;
  apiUser: string;
  /** Encrypted (SecretBox). */
  apiPassword: string;
  tls: boolean;
  tlsCertificate?: string | null;
  rosVersion?: string;
}

/**
 * The pool's `resolveEndpoint` for routers kept in the database: address, api-ssl settings and
 * user from the router record. The password is read again and decrypted at each login, so
 * corrected credentials work without a restart and the clear text lives for one login.
 */
export function routerEndpointResolver(
  routers: { findById(id: string): Promise<RouterAccessRecord | null> },
  box: Pick<SecretBox, 'decrypt'>,
): (routerId: string) => Promise<RouterEndpoint | undefined> {
  return async (routerId) => {
    const r = await routers.findById(routerId);
    if (!r) return undefined;
    return {
      id: routerId,
      host: r.host,
      port: r.apiPort,
      tls: routerTls(r.tls, r.tlsCertificate),
      user: r.apiUser,
      version: r.rosVersion,
      password: async () => box.decrypt((await routers.findById(routerId))?.apiPassword ?? r.apiPassword, 'router.apiPassword', routerId),
    };
  };
}
