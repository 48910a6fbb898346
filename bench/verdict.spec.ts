import { verdict } from './verdict';

describe('bench report verdicts', () => {
  const figures = { ratio: 13.7, p99_ms: 57, accepted: 100, jobs_enqueued: 100, routers: 4, connections: 5, incidents: 1, label: 'x' };

  it.each([
    ['ratio', '≥ 10', 'met'],
    ['ratio', '>= 20', 'missed'],
    ['p99_ms', '<= 50', 'missed'],
    ['p99_ms', '< 100 (old system: ~1000)', 'met'],
    ['jobs_enqueued', '= accepted', 'met'],
    ['connections', '= routers (4)', 'missed'],
    ['incidents', '1', 'met'],
    ['incidents', 'one per outage', ''],
    ['label', '= x', ''],
    ['ratio', undefined, ''],
  ] as const)('%s against "%s" is %s', (name, target, expected) => {
    expect(verdict(figures, name, target)).toBe(expected);
  });
});
