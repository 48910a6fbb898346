import type { Incident } from '../api/types';
import { incidentIdOf, incidentQuery, matches, upsertIncident, type BoardFilter } from './incident-board';

const inc = (id: string, over: Partial<Incident> = {}): Incident => ({
  id,
  rootCause: { kind: 'device', id: 'd', name: 'sector-b', type: 'sector' },
  building: 'b1',
  buildingName: 'Torre Norte',
  level: 2,
  state: 'open',
  openedAt: '2026-12-02T12:00:00Z',
  impactedDevices: 2,
  impactedSubscribers: 3,
  path: [],
  revision: 1,
  ...over,
});
const active: BoardFilter = { state: 'active' };

describe('incident board reducer', () => {
  it('adds a new incident newest first', () => {
    const board = [inc('a'.repeat(24), { openedAt: '2026-12-02T11:00:00Z' })];
    const next = upsertIncident(board, inc('b'.repeat(24)), active);
    expect(next.map((i) => i.id[0])).toEqual(['b', 'a']);
  });

  it('replaces a shown incident with a newer revision and ignores an older one', () => {
    const id = 'c'.repeat(24);
    const board = [inc(id, { revision: 2, state: 'acknowledged' })];
    expect(upsertIncident(board, inc(id, { revision: 1, state: 'open' }), active)).toBe(board);
    const next = upsertIncident(board, inc(id, { revision: 3, state: 'acknowledged', acknowledgedBy: 'me' }), active);
    expect(next).toHaveLength(1);
    expect(next[0].acknowledgedBy).toBe('me');
  });

  it('drops an incident that stops matching the filter (resolved on the active board)', () => {
    const id = 'd'.repeat(24);
    const board = [inc(id)];
    expect(upsertIncident(board, inc(id, { revision: 2, state: 'resolved' }), active)).toEqual([]);
    expect(upsertIncident([], inc(id, { state: 'resolved' }), active)).toEqual([]);
  });

  it('filters by state, level and building', () => {
    expect(matches(inc('e'), { state: 'active', level: 2, building: 'b1' })).toBe(true);
    expect(matches(inc('e'), { state: 'active', level: 1 })).toBe(false);
    expect(matches(inc('e'), { state: 'active', building: 'b2' })).toBe(false);
    expect(matches(inc('e', { state: 'acknowledged' }), { state: 'open' })).toBe(false);
    expect(matches(inc('e', { state: 'resolved' }), { state: 'resolved' })).toBe(true);
  });

  it('reads the incident id of a feed message, and nothing from other messages', () => {
    expect(incidentIdOf({ type: 'incident', data: { incidentId: 'f'.repeat(24) } })).toBe('f'.repeat(24));
    expect(incidentIdOf({ type: 'incident', data: { incidentId: '../x' } })).toBeUndefined();
    expect(incidentIdOf({ type: 'node-state', data: { incidentId: 'f'.repeat(24) } })).toBeUndefined();
  });

  it('builds the list query', () => {
    expect(incidentQuery({ state: 'active', level: 1, building: 'b1' })).toBe('state=active&limit=100&level=1&building=b1');
    expect(incidentQuery({ state: 'resolved' }, 20)).toBe('state=resolved&limit=20');
  });
});
