import { evidencePath, formatDuration, formatPct, formatRtt, formatTime, since } from './format';

describe('format', () => {
  it('durations', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(59.4)).toBe('59 s');
    expect(formatDuration(59.6)).toBe('1 min');
    expect(formatDuration(61)).toBe('1 min');
    expect(formatDuration(3 * 3600 + 12 * 60)).toBe('3 h 12 min');
    expect(formatDuration(7200)).toBe('2 h');
    expect(formatDuration(2 * 86400 + 3600)).toBe('2 d 1 h');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(-1)).toBe('—');
  });

  it('relative and absolute times', () => {
    const now = Date.parse('2026-12-02T12:00:00Z');
    expect(since('2026-12-02T11:55:00Z', now)).toBe('5 min ago');
    expect(since(undefined, now)).toBe('—');
    expect(since('not a date', now)).toBe('—');
    expect(formatTime('2026-12-02T11:55:00Z')).toMatch(/^2026-12-0[12] \d\d:55$/);
    expect(formatTime(undefined)).toBe('—');
  });

  it('evidence paths read like the API summary, with RTTs where measured', () => {
    expect(
      evidencePath([
        { kind: 'router', id: 'r', name: 'core-tn', state: 'UP', rttMs: 0.42 },
        { kind: 'device', id: 's', name: 'sector-b', state: 'DOWN' },
        { kind: 'device', id: 't', name: 'station-b2', state: 'IMPACTED', rttMs: 23.4 },
      ]),
    ).toBe('core-tn [UP] 0.4 ms -> sector-b [DOWN] -> station-b2 [IMPACTED] 23 ms');
    expect(evidencePath([])).toBe('');
    expect(formatRtt(undefined)).toBe('');
  });

  it('percentages', () => {
    expect(formatPct(99.9521)).toBe('99.952 %');
    expect(formatPct(undefined)).toBe('—');
  });
});
