import { BlockList, isIP } from 'node:net';

/** "::ffff:10.0.0.1" (an IPv4 client on a dual-stack socket) -> "10.0.0.1". */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/**
 * A set of exact addresses and CIDRs (IPv4 and IPv6). Entries that are neither are reported to
 * the caller and left out, so one typo in a router's allowlist cannot crash the cache.
 */
export class AddressAllowlist {
  private readonly list = new BlockList();
  readonly invalid: string[] = [];
  readonly size: number;

  constructor(entries: readonly string[]) {
    let size = 0;
    for (const raw of entries) {
      const entry = raw.trim();
      if (!entry) continue;
      const [addr, bits, extra] = entry.split('/');
      const family = isIP(addr);
      const prefix = bits === undefined ? undefined : Number(bits);
      const max = family === 4 ? 32 : 128;
      if (!family || extra !== undefined || (prefix !== undefined && (!/^\d{1,3}$/.test(bits) || prefix > max))) {
        this.invalid.push(entry);
        continue;
      }
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) this.list.addAddress(addr, type);
      else this.list.addSubnet(addr, prefix, type);
      size++;
    }
    this.size = size;
  }

  has(address: string): boolean {
    const a = plainAddress(address);
    const family = isIP(a);
    if (!family) return false;
    return this.list.check(a, family === 4 ? 'ipv4' : 'ipv6');
  }
}
