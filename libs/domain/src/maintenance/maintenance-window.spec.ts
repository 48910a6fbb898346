import { sampleNetwork, subscribersUnder } from '../topology/topology.fixtures';
import { coveredIntervals, currentOrNextOccurrence, isWindowActive, occurrencesBetween, maintenanceCoverage, maintenanceWindowProblem, occurrenceAt, WEEK_MS, type MaintenanceWindowLike } from './maintenance-window';

const T0 = new Date('2026-03-02T01:00:00Z'); // a Monday, 01:00
const at = (ms: number) => new Date(T0.getTime() + ms);
const H = 3600_000;
const win = (id: string, targetId: string, from: number, to: number, extra: Partial<MaintenanceWindowLike> = {}): MaintenanceWindowLike => ({ id, targetId, startsAt: at(from), endsAt: at(to), ...extra });

describe('maintenance windows: occurrences', () => {
  it('a one-off window is active from its start (inclusive) to its end (exclusive)', () => {
    const w = win('w', 'X', 0, 2 * H);
    expect(isWindowActive(w, at(-1))).toBe(false);
    expect(isWindowActive(w, at(0))).toBe(true);
    expect(isWindowActive(w, at(2 * H - 1))).toBe(true);
    expect(isWindowActive(w, at(2 * H))).toBe(false);
    expect(isWindowActive(w, at(WEEK_MS + H))).toBe(false);
  });

  it('a weekly window comes back every week at the same time, for the same length', () => {
    const w = win('w', 'X', 0, 2 * H, { recurrence: 'weekly' });
    expect(isWindowActive(w, at(WEEK_MS + H))).toBe(true);
    expect(isWindowActive(w, at(3 * WEEK_MS + 2 * H))).toBe(false);
    expect(occurrenceAt(w, at(3 * WEEK_MS + H))).toEqual({ start: at(3 * WEEK_MS), end: at(3 * WEEK_MS + 2 * H) });
    expect(currentOrNextOccurrence(w, at(3 * H))).toEqual({ start: at(WEEK_MS), end: at(WEEK_MS + 2 * H) });
  });

  it('ending a window early cuts the running occurrence and, for a weekly one, every later one', () => {
    const once = win('w', 'X', 0, 4 * H, { endedAt: at(H) });
    expect(isWindowActive(once, at(H - 1))).toBe(true);
    expect(isWindowActive(once, at(H))).toBe(false);
    expect(occurrenceAt(once, at(0))?.end).toEqual(at(H));
    const weekly = win('w', 'X', 0, 2 * H, { recurrence: 'weekly', endedAt: at(H) });
    expect(isWindowActive(weekly, at(WEEK_MS + H))).toBe(false);
    expect(currentOrNextOccurrence(weekly, at(2 * H))).toBeNull();
  });

  it('an upcoming one-off window is its next occurrence; a past one has none', () => {
    expect(currentOrNextOccurrence(win('w', 'X', 5 * H, 6 * H), at(0))).toEqual({ start: at(5 * H), end: at(6 * H) });
    expect(currentOrNextOccurrence(win('w', 'X', 0, H), at(2 * H))).toBeNull();
  });

  it('refuses an empty window and a weekly one a week long or more', () => {
    expect(maintenanceWindowProblem({ startsAt: at(H), endsAt: at(H) })).toMatch(/endsAt/);
    expect(maintenanceWindowProblem({ startsAt: at(0), endsAt: at(WEEK_MS), recurrence: 'weekly' })).toMatch(/week/);
    expect(maintenanceWindowProblem({ startsAt: at(0), endsAt: at(WEEK_MS), recurrence: 'none' })).toBeNull();
  });
});

describe('maintenance windows: coverage down the topology', () => {
  const g = sampleNetwork({ stations: 2, subs: 2 });
  const parentsOf = (id: string) => g.get(id)?.parents ?? [];

  it('a window on a building covers its router, sectors, stations and subscribers, until the window ends', () => {
    const w = win('bw', 'B1', 0, 2 * H);
    for (const id of ['B1', 'R1', 'SEC-A', 'SEC-B', 'SEC-A-ST0', 'SEC-B-ST1', ...subscribersUnder(g, 'B1')]) {
      expect({ id, ...maintenanceCoverage(id, at(H), [w], parentsOf) }).toEqual({ id, covered: true, windowIds: ['bw'], until: at(2 * H) });
    }
    expect(maintenanceCoverage('SEC-A', at(2 * H), [w], parentsOf).covered).toBe(false);
    expect(maintenanceCoverage('SEC-A', at(-1), [w], parentsOf).covered).toBe(false);
  });

  it('a window on a sector covers what is below it, not its siblings or parents', () => {
    const w = win('sw', 'SEC-B', 0, H);
    expect(maintenanceCoverage('SEC-B-ST0', at(1), [w], parentsOf).covered).toBe(true);
    expect(maintenanceCoverage('SEC-B-ST0-U1', at(1), [w], parentsOf).covered).toBe(true);
    expect(maintenanceCoverage('SEC-A', at(1), [w], parentsOf).covered).toBe(false);
    expect(maintenanceCoverage('R1', at(1), [w], parentsOf).covered).toBe(false);
  });

  it('a node with redundant uplinks is covered only when every uplink is', () => {
    // SEC-R hangs off BH2 (primary) and SEC-B (redundant).
    const r = sampleNetwork({ extra: { devices: [{ id: 'SEC-R', name: 'sector-r', deviceType: 'sector', ipAddress: '10.0.9.1', routerId: 'R1', parentId: 'BH2', altParentIds: ['SEC-B'], buildingId: 'B1' }] } });
    const up = (id: string) => r.get(id)?.parents ?? [];
    const onBh1 = win('w1', 'BH1', 0, 3 * H);
    const onSecB = win('w2', 'SEC-B', 0, H);
    expect(maintenanceCoverage('SEC-R', at(1), [onBh1], up).covered).toBe(false);
    const both = maintenanceCoverage('SEC-R', at(1), [onBh1, onSecB], up);
    expect(both.covered).toBe(true);
    expect(both.windowIds.sort()).toEqual(['w1', 'w2']);
    // Covered until the first uplink's window ends: then traffic could flow (or not) through it.
    expect(both.until).toEqual(at(H));
    expect(maintenanceCoverage('SEC-R', at(H), [onBh1, onSecB], up).covered).toBe(false);
  });

  it('its own window keeps a node covered past an ancestor window that ends earlier', () => {
    const c = maintenanceCoverage('SEC-A', at(1), [win('b', 'B1', 0, H), win('s', 'SEC-A', 0, 2 * H)], parentsOf);
    expect(c).toEqual({ covered: true, windowIds: ['s', 'b'], until: at(2 * H) });
  });

  it('a weekly window covers in its later occurrences too, and a window on an unrelated node covers nothing', () => {
    const w = win('wk', 'R1', 0, H, { recurrence: 'weekly' });
    expect(maintenanceCoverage('SEC-A-ST1-U0', at(2 * WEEK_MS + 1), [w], parentsOf)).toEqual({ covered: true, windowIds: ['wk'], until: at(2 * WEEK_MS + H) });
    expect(maintenanceCoverage('SEC-A', at(1), [win('x', 'elsewhere', 0, H)], parentsOf).covered).toBe(false);
  });

  it('a cycle in the uplinks covers nothing instead of looping', () => {
    const loop: Record<string, string[]> = { A: ['B'], B: ['A'] };
    expect(maintenanceCoverage('A', at(1), [win('w', 'Z', 0, H)], (id) => loop[id] ?? []).covered).toBe(false);
  });
});

describe('maintenance windows: covered intervals (availability)', () => {
  const g = sampleNetwork({ stations: 1, subs: 1 });
  const parentsOf = (id: string) => g.get(id)?.parents ?? [];

  it('gives the stretches a subscriber spent inside windows above it, merged and clipped to the period', () => {
    const windows = [win('b', 'B1', H, 3 * H), win('s', 'SEC-A', 2 * H, 4 * H), win('x', 'SEC-B', 0, 10 * H)];
    expect(coveredIntervals('SEC-A-ST0-U0', at(0), at(24 * H), windows, parentsOf)).toEqual([{ start: at(H), end: at(4 * H) }]);
    expect(coveredIntervals('SEC-A-ST0-U0', at(2 * H), at(3 * H), windows, parentsOf)).toEqual([{ start: at(2 * H), end: at(3 * H) }]);
  });

  it('counts every week of a weekly window inside the period', () => {
    const w = win('wk', 'R1', 0, H, { recurrence: 'weekly' });
    const got = coveredIntervals('SEC-B-ST0-U0', at(0), at(2 * WEEK_MS + 30 * 60_000), [w], parentsOf);
    expect(got).toEqual([
      { start: at(0), end: at(H) },
      { start: at(WEEK_MS), end: at(WEEK_MS + H) },
      { start: at(2 * WEEK_MS), end: at(2 * WEEK_MS + 30 * 60_000) },
    ]);
    expect(occurrencesBetween(w, at(H), at(WEEK_MS + 1))).toEqual([{ start: at(WEEK_MS), end: at(WEEK_MS + H) }]);
  });
});
