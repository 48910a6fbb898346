import { judgeFlapping, orderSubjectEvent, type FlapPolicy } from './flap-detection';

// A real deployment's policy (diagnostics' defaults): more than 2 changes in 10 minutes, stable after 3 quiet minutes.
const policy: FlapPolicy = { maxChanges: 2, windowMs: 600_000, quietMs: 180_000 };
const s = (sec: number) => sec * 1000;

describe('judgeFlapping', () => {
  it('a single outage and its recovery is not flapping', () => {
    expect(judgeFlapping(policy, { changes: [s(0), s(20)], flappingSince: null, now: s(20) })).toEqual({ action: 'none' });
  });

  it('down, up, down again within the window starts flapping, with a check after the quiet period', () => {
    expect(judgeFlapping(policy, { changes: [s(0), s(20), s(40)], flappingSince: null, now: s(40) })).toEqual({ action: 'start', since: s(40), changes: 3, checkAt: s(40) + policy.quietMs });
  });

  it('changes older than the window do not count', () => {
    expect(judgeFlapping(policy, { changes: [s(0), s(20), s(700)], flappingSince: null, now: s(700) })).toEqual({ action: 'none' });
  });

  it('the order of the history does not matter', () => {
    expect(judgeFlapping(policy, { changes: [s(40), s(0), s(20)], flappingSince: null, now: s(40) }).action).toBe('start');
  });

  it('a flapping subject with a change within the quiet period waits until the period after its last change', () => {
    expect(judgeFlapping(policy, { changes: [s(0), s(20), s(40), s(60)], flappingSince: s(40), now: s(100) })).toEqual({ action: 'wait', checkAt: s(60) + policy.quietMs });
  });

  it('a flapping subject quiet for the whole period is stable again, from its last change', () => {
    expect(judgeFlapping(policy, { changes: [s(0), s(20), s(40), s(60)], flappingSince: s(40), now: s(60) + policy.quietMs })).toEqual({ action: 'end', quietSince: s(60) });
  });

  it('stays flapping while it keeps changing, even with few changes left in the window (no start/stop per flap)', () => {
    expect(judgeFlapping(policy, { changes: [s(900)], flappingSince: s(40), now: s(950) })).toEqual({ action: 'wait', checkAt: s(900) + policy.quietMs });
  });

  it('a flapping subject whose history expired counts its quiet time from the start of flapping', () => {
    expect(judgeFlapping(policy, { changes: [], flappingSince: s(40), now: s(100) })).toEqual({ action: 'wait', checkAt: s(40) + policy.quietMs });
    expect(judgeFlapping(policy, { changes: [], flappingSince: s(40), now: s(40) + policy.quietMs }).action).toBe('end');
  });

  it('scenario 8 compressed (the stack: 2 changes in a 12 s window): a change every 1.4 s flaps on the third', () => {
    const fast: FlapPolicy = { maxChanges: 2, windowMs: 12_000, quietMs: 3_600 };
    const changes = [0, 1400, 2800];
    expect(judgeFlapping(fast, { changes: changes.slice(0, 2), flappingSince: null, now: 1400 }).action).toBe('none');
    expect(judgeFlapping(fast, { changes, flappingSince: null, now: 2800 }).action).toBe('start');
  });
});

describe('orderSubjectEvent', () => {
  it('an event older than the last one handled for the subject is stale', () => {
    expect(orderSubjectEvent({ at: s(11), event: 'up' }, s(10), 'down')).toBe('stale');
  });
  it('a later event of the other state is a change; of the same state a repeat', () => {
    expect(orderSubjectEvent({ at: s(10), event: 'down' }, s(11), 'up')).toBe('change');
    expect(orderSubjectEvent({ at: s(10), event: 'up' }, s(11), 'up')).toBe('repeat');
  });
  it('within the same router second the order of arrival stands', () => {
    expect(orderSubjectEvent({ at: s(10), event: 'down' }, s(10), 'up')).toBe('change');
  });
  it("a subject's first event is a change when it is a DOWN, not when it is an UP (the steady state)", () => {
    expect(orderSubjectEvent(null, s(10), 'down')).toBe('change');
    expect(orderSubjectEvent(null, s(10), 'up')).toBe('repeat');
  });
});
