import { href, parseRoute } from './route';
import { bucketsEnding, chartData } from './period';

const id = '0123456789abcdef01234567';

describe('hash routes', () => {
  it('parses every screen and round-trips through href', () => {
    for (const r of [
      { screen: 'home' },
      { screen: 'incidents' },
      { screen: 'building', id },
      { screen: 'subscribers', q: 'ali ce' },
      { screen: 'subscriber', id },
      { screen: 'availability', scope: 'building', id },
      { screen: 'availability', scope: 'subscriber', id },
      { screen: 'router', id },
    ] as const) {
      expect(parseRoute(href(r))).toEqual(r);
    }
    expect(parseRoute('')).toEqual({ screen: 'home' });
    expect(parseRoute('#/buildings/not-an-id')).toEqual({ screen: 'not-found' });
    expect(parseRoute('#/subscribers')).toEqual({ screen: 'subscribers', q: undefined });
  });
});

describe('availability periods', () => {
  it('cuts a period into equal buckets ending now, oldest first', () => {
    const end = Date.parse('2026-12-02T00:00:00Z');
    const b = bucketsEnding(end, 7 * 86400_000, 7);
    expect(b).toHaveLength(7);
    expect(b[0].from).toBe('2026-11-25T00:00:00.000Z');
    expect(b[6].to).toBe('2026-12-02T00:00:00.000Z');
    expect(b[1].from).toBe(b[0].to);
    expect(bucketsEnding(end, 0, 3)).toEqual([]);
    expect(chartData(b.slice(0, 2), [100, null])).toEqual([[Date.parse('2026-11-25T00:00:00Z') / 1000, Date.parse('2026-11-26T00:00:00Z') / 1000], [100, null]]);
  });
});
