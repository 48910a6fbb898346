import { AddressAllowlist, plainAddress } from './address-allowlist';

describe('AddressAllowlist', () => {
  const list = new AddressAllowlist(['192.0.2.0/24', '198.51.100.7', ' 2001:db8::/32 ', 'junk', '10.0.0.0/33', '1.2.3.4/8/9', '']);

  it('matches exact addresses and CIDRs, IPv4 and IPv6, and IPv4-mapped sources', () => {
    expect(list.has('192.0.2.200')).toBe(true);
    expect(list.has('198.51.100.7')).toBe(true);
    expect(list.has('::ffff:198.51.100.7')).toBe(true);
    expect(list.has('2001:db8::1')).toBe(true);
    expect(list.has('198.51.100.8')).toBe(false);
    expect(list.has('not an ip')).toBe(false);
  });

  it('reports invalid entries instead of throwing', () => {
    expect(list.invalid).toEqual(['junk', '10.0.0.0/33', '1.2.3.4/8/9']);
    expect(list.size).toBe(3);
  });

  it('plainAddress unwraps IPv4-mapped IPv6 only', () => {
    expect(plainAddress('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(plainAddress('::1')).toBe('::1');
  });
});
