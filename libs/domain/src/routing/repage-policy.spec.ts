import { decideRepage, impactSize, type RepageInput } from './repage-policy';

const base: RepageInput = { state: 'open', level: 2, pagedLevel: 2, pagedImpact: 10, impact: 10, factor: 2 };

describe('re-page policy', () => {
  it('pages when the impact reaches the next step since the last page, not for every growth', () => {
    expect(decideRepage({ ...base, impact: 19 }).page).toBe(false);
    expect(decideRepage({ ...base, impact: 20 })).toEqual({ page: true, reason: expect.stringMatching(/10 -> 20/) });
    expect(decideRepage({ ...base, impact: 30, factor: 4 }).page).toBe(false);
  });

  it('pages on a level the readers have not been paged at', () => {
    expect(decideRepage({ ...base, level: 3 })).toEqual({ page: true, reason: 'level 2 -> 3' });
  });

  it('never re-pages an acknowledged or resolved incident', () => {
    expect(decideRepage({ ...base, state: 'acknowledged', impact: 1000, level: 3 }).page).toBe(false);
    expect(decideRepage({ ...base, state: 'resolved', impact: 1000 }).page).toBe(false);
  });

  it('a first page is always news; an impact of zero still has a step', () => {
    expect(decideRepage({ ...base, pagedLevel: null }).page).toBe(true);
    expect(decideRepage({ ...base, pagedImpact: 0, impact: 1 }).page).toBe(false);
    expect(decideRepage({ ...base, pagedImpact: 0, impact: 2 }).page).toBe(true);
  });

  it('counts stations, devices and subscribers together for the size', () => {
    expect(impactSize({ stations: 3, devices: 2, subscribers: 40 })).toBe(45);
  });
});
