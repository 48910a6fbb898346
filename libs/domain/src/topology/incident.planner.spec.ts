import { followUp, leftoversToReprobe, planRootCause, type FindingView, type OpenIncidentView } from './incident.planner';
import { incidentLevel, impactedBy, countByKind } from './classification';
import { sampleNetwork } from './topology.fixtures';

const g = sampleNetwork();

function finding(rootId: string): FindingView {
  const impacted = impactedBy(g, rootId);
  const c = countByKind(g, impacted);
  return { rootId, level: incidentLevel(g.get(rootId)!), impacted, impactedDevices: c.devices + c.routers, impactedSubscribers: c.subscribers };
}

function open(rootId: string, over: Partial<OpenIncidentView> = {}): OpenIncidentView {
  const f = finding(rootId);
  return { id: `I-${rootId}`, rootId, level: f.level, openedAt: new Date('2026-01-01T10:00:00Z'), revision: 2, impactedDevices: f.impactedDevices, impactedSubscribers: f.impactedSubscribers, ...over };
}

describe('incident planner: what a root-cause finding means for the open incidents', () => {
  it('nothing open: open a new incident, and hand off "opened" while it is at revision 1', () => {
    expect(planRootCause([], finding('SEC-A'))).toEqual({ action: 'open' });
    expect(followUp(open('SEC-A', { revision: 1 }), finding('SEC-A'), null, true)).toEqual({ change: 'opened', resize: false });
  });

  it('an incident open for the same root, same size: kept, nothing to send', () => {
    const plan = planRootCause([open('SEC-B'), open('SEC-A')], finding('SEC-A'));
    expect(plan).toEqual({ action: 'keep', incidentId: 'I-SEC-A' });
    expect(followUp(open('SEC-A'), finding('SEC-A'), null)).toEqual({ change: null, resize: false });
    // Found open at revision 1 (not by this call's open): not re-sent as "opened".
    expect(followUp(open('SEC-A', { revision: 1 }), finding('SEC-A'), null)).toEqual({ change: null, resize: false });
  });

  it('the same root with more or fewer impacted: a resize to write, "grown" or "shrunk"', () => {
    expect(followUp(open('SEC-A', { impactedSubscribers: 2 }), finding('SEC-A'), null)).toEqual({ change: 'grown', resize: true });
    expect(followUp(open('SEC-A', { impactedSubscribers: 50 }), finding('SEC-A'), null)).toEqual({ change: 'shrunk', resize: true });
  });

  it('a change a dead replica wrote but never handed off is sent by the next diagnosis', () => {
    expect(followUp(open('SEC-A', { pendingChange: 'grown' }), finding('SEC-A'), null)).toEqual({ change: 'grown', resize: false });
  });

  it('a station incident (L1) swallowed by its sector (L2): re-rooted, and technicians hear "opened", not "escalated"', () => {
    const station = open('SEC-A-ST0', { level: 1 });
    const plan = planRootCause([station], finding('SEC-A'));
    expect(plan).toEqual({ action: 'reroot', incidentId: 'I-SEC-A-ST0', change: 'opened', escalatedLevel: 2, merge: [] });
    expect(followUp(station, finding('SEC-A'), 'opened')).toEqual({ change: 'opened', resize: false });
  });

  it('a sector incident (L2) swallowed by its core router (L3): network admins hear "opened"', () => {
    const plan = planRootCause([open('SEC-A')], finding('R1'));
    expect(plan).toEqual({ action: 'reroot', incidentId: 'I-SEC-A', change: 'opened', escalatedLevel: 3, merge: [] });
  });

  it('two sector incidents swallowed by a backhaul: the oldest follows the new root ("grown", same level), the other merged', () => {
    const older = open('SEC-A', { openedAt: new Date('2026-01-01T09:00:00Z') });
    const station = open('SEC-A-ST1', { level: 1, openedAt: new Date('2026-01-01T09:30:00Z') });
    const plan = planRootCause([station, older, open('SEC-B')], finding('BH2'));
    expect(plan).toEqual({ action: 'reroot', incidentId: 'I-SEC-A', change: 'grown', escalatedLevel: 2, merge: ['I-SEC-A-ST1'] });
  });

  it('an incident escalated further than the new root keeps its escalated level', () => {
    const plan = planRootCause([open('SEC-A', { escalatedLevel: 3 })], finding('BH2'));
    expect(plan).toMatchObject({ action: 'reroot', escalatedLevel: 3 });
  });

  it('an open incident elsewhere is left alone', () => {
    expect(planRootCause([open('SEC-B')], finding('SEC-A'))).toEqual({ action: 'open' });
  });
});

describe('leftovers of a resolved incident: what to probe again', () => {
  const now = new Date('2026-01-01T10:00:10Z');
  const incidents = new Map([
    ['OPEN', { state: 'open' }],
    ['OLD', { state: 'resolved', resolvedAt: new Date('2026-01-01T10:00:00Z') }],
    ['JUST', { state: 'resolved', resolvedAt: new Date('2026-01-01T10:00:09Z') }],
  ]);
  it('probes nodes of incidents resolved for the settle time, unlabelled ones and ones whose incident is gone; not those of open or just-resolved incidents', () => {
    const nodes = [
      { id: 'A', incidentId: 'OPEN' },
      { id: 'B', incidentId: 'OLD' },
      { id: 'C', incidentId: 'JUST' },
      { id: 'D', incidentId: null },
      { id: 'E', incidentId: 'DELETED' },
    ];
    expect(leftoversToReprobe(nodes, incidents, now, 5000)).toEqual(['B', 'D', 'E']);
    expect(leftoversToReprobe(nodes, incidents, now, 0)).toEqual(['B', 'C', 'D', 'E']);
  });
});
