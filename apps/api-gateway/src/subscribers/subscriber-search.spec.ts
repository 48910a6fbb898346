import { parseSubscriberSearch } from './subscriber-search';

describe('parseSubscriberSearch', () => {
  it('reads a username prefix', () => expect(parseSubscriberSearch('juan.')).toEqual({ usernamePrefix: 'juan.' }));

  it.each(['aa:bb:cc:dd:ee:0f', 'AA-BB-CC-DD-EE-0F', 'aabb.ccdd.ee0f', ' aabbccddee0f '])('reads the MAC %p in any notation', (q) =>
    expect(parseSubscriberSearch(q)?.mac).toBe('AA:BB:CC:DD:EE:0F'),
  );

  it('keeps a MAC-looking username as a username prefix too (either may match)', () =>
    expect(parseSubscriberSearch('aabbccddee0f')).toEqual({ usernamePrefix: 'aabbccddee0f', mac: 'AA:BB:CC:DD:EE:0F' }));

  it('reads an IPv4 address (also a valid username prefix)', () => expect(parseSubscriberSearch('10.20.0.7')).toEqual({ usernamePrefix: '10.20.0.7', address: '10.20.0.7' }));

  it('a partial address is only a prefix', () => expect(parseSubscriberSearch('10.20.0')).toEqual({ usernamePrefix: '10.20.0' }));

  it.each(['', '   ', 'a b', '<script>', 'aa:bb:cc', '10.0.0.300:', 'x'.repeat(65), 42, null])('refuses %p', (q) => expect(parseSubscriberSearch(q)).toBeNull());
});
