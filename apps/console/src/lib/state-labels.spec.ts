import { can, incidentStateLabel, stateLabel, syncLabel } from './state-labels';

describe('state labels', () => {
  it('gives every node state a word and a glyph, not only a colour', () => {
    for (const s of ['UP', 'DOWN', 'IMPACTED', 'UNKNOWN', 'FLAPPING', 'DEGRADED', 'SUSPENDED']) {
      const l = stateLabel(s);
      expect(l.text).toBe(s);
      expect(l.glyph).not.toBe('');
      expect(l.description.length).toBeGreaterThan(5);
    }
    expect(stateLabel('DOWN').tone).toBe('bad');
    expect(stateLabel('IMPACTED').tone).toBe('warn');
    expect(stateLabel(undefined).text).toBe('UNKNOWN');
    expect(stateLabel('WEIRD')).toMatchObject({ text: 'WEIRD', tone: 'muted' });
  });

  it('labels incident and sync states; a synced status behind the desired version reads PENDING', () => {
    expect(incidentStateLabel('acknowledged').text).toBe('ACKNOWLEDGED');
    expect(syncLabel('synced', true).text).toBe('SYNCED');
    expect(syncLabel('synced', false).text).toBe('PENDING');
    expect(syncLabel('failed').tone).toBe('bad');
  });

  it('shows actions by role as the API allows them', () => {
    expect(can('support', 'acknowledge')).toBe(false);
    expect(can('technician', 'acknowledge')).toBe(true);
    expect(can('technician', 'resolve')).toBe(false);
    expect(can('netadmin', 'resolve')).toBe(true);
    expect(can('netadmin', 'suspend')).toBe(true);
    expect(can('admin', 'suspend')).toBe(true);
    expect(can(undefined, 'acknowledge')).toBe(false);
  });
});
