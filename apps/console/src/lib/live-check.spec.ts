import type { EvidenceHop } from '../api/types';
import { liveCheckStreamUrl, placeHop } from './live-check';

const hop = (name: string): EvidenceHop => ({ kind: 'device', id: name, name, state: 'UP' });

describe('placeHop', () => {
  it('puts hops in their place root to leaf, whatever order they answer in', () => {
    let slots = placeHop([], { index: 2, total: 3, hop: hop('station') });
    expect(slots).toEqual([undefined, undefined, hop('station')]);
    slots = placeHop(slots, { index: 0, total: 3, hop: hop('core') });
    expect(slots.map((h) => h?.name)).toEqual(['core', undefined, 'station']);
  });

  it('never mutates what it was given', () => {
    const before = placeHop([], { index: 0, total: 2, hop: hop('core') });
    placeHop(before, { index: 1, total: 2, hop: hop('sector') });
    expect(before[1]).toBeUndefined();
  });

  it.each([
    { index: 3, total: 3 },
    { index: -1, total: 3 },
    { index: 0, total: 0 },
    { index: 0.5, total: 3 },
    { index: 0, total: 1e6 },
  ])('ignores a message that does not fit: %p', (p) => expect(placeHop([], { ...p, hop: hop('x') })).toEqual([]));
});

it('builds the stream URL with the ticket, escaped', () =>
  expect(liveCheckStreamUrl('device', 'abc', 'a+b/c')).toBe('/api/v1/live-check/device/abc/stream?ticket=a%2Bb%2Fc'));
