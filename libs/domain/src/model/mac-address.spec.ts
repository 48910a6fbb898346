import { normaliseMac } from './mac-address';

describe('normaliseMac', () => {
  it.each([
    ['aa:bb:cc:dd:ee:ff', 'AA:BB:CC:DD:EE:FF'],
    ['AA-BB-CC-DD-EE-FF', 'AA:BB:CC:DD:EE:FF'],
    ['aabb.ccdd.eeff', 'AA:BB:CC:DD:EE:FF'],
    ['aabbccddeeff', 'AA:BB:CC:DD:EE:FF'],
    [' 00:11:22:33:44:5a ', '00:11:22:33:44:5A'],
  ])('%p -> %p', (input, out) => expect(normaliseMac(input)).toBe(out));

  it.each(['', 'aa:bb:cc:dd:ee', 'gg:bb:cc:dd:ee:ff', 'aa:bb:cc:dd:ee:ff:00', 42, null, 'x'.repeat(100)])('refuses %p', (input) => expect(normaliseMac(input)).toBeNull());
});
