import { cleanLocation, codeFor, locationKey } from './legacy-location';

describe('legacy location cleaning', () => {
  it.each([
    ['Tower A (Offline)', 'Tower A'],
    ['Tower A (Online) (Offline)', 'Tower A'],
    ['  tower   a  (OFFLINE) ', 'tower a'],
    ['Main St. 12', 'Main St. 12'],
    ['(Offline)', ''],
    ['', ''],
  ])('%j -> %j', (raw, clean) => {
    expect(cleanLocation(raw)).toBe(clean);
  });

  it('keys case and spacing variants together', () => {
    expect(locationKey('Tower  A (Online)')).toBe(locationKey('tower a'));
    expect(locationKey(undefined)).toBe('');
  });

  it('makes unique short codes', () => {
    const taken = new Set<string>();
    expect(codeFor('Tower A', taken)).toBe('TA');
    expect(codeFor('Tower Apartments', taken)).toBe('TA2');
    expect(codeFor('Hilltop', taken)).toBe('HILLTOP');
  });
});
