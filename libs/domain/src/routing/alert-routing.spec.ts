import { ValidationError } from '../errors/domain-errors';
import { DEFAULT_ROUTING_RULES, validateRoutingRules } from './alert-rules';
import { effectiveLevel, notificationKey, planAlert, planResolve, type AlertContact, type AlertIncident } from './alert-routing';
import { isOnDuty } from './on-duty';

const NOW = new Date('2024-06-05T10:00:00Z'); // a Wednesday

const admin = (name: string, extra: Partial<AlertContact> = {}): AlertContact => ({
  id: name, name, level: 3, phone: `+1555${name.length}`, email: `${name}@isp.test`, buildings: [], ...extra,
});
const tech = (name: string, buildings: string[], extra: Partial<AlertContact> = {}): AlertContact => ({
  id: name, name, level: 2, phone: `+1666${name.length}`, buildings, ...extra,
});
const support = (name: string): AlertContact => ({ id: name, name, level: 1, email: `${name}@isp.test`, buildings: [] });

const core: AlertIncident = { level: 3, building: 'b1', rootCause: { kind: 'router', type: 'core' } };
const sector: AlertIncident = { level: 2, building: 'b1', rootCause: { kind: 'device', type: 'sector' } };
const station: AlertIncident = { level: 1, building: 'b1', rootCause: { kind: 'device', type: 'station' } };

const contacts = [admin('ann'), admin('bob', { email: null }), tech('tina', ['b1']), tech('tom', ['b2']), support('sue')];
const plan = (incident: AlertIncident, cs = contacts, now = NOW) => planAlert({ incident, contacts: cs, rules: DEFAULT_ROUTING_RULES, now });
const who = (p: ReturnType<typeof plan>) => p.pages.map((x) => `${x.contactName}:${x.channel}`).sort();

describe('alert routing with the default rules', () => {
  it('a core router (Level 3) pages every network admin by SMS and e-mail, high priority', () => {
    const p = plan(core);
    expect(who(p)).toEqual(['ann:email', 'ann:sms', 'bob:sms']);
    expect(p.pages.every((x) => x.priority === 'high')).toBe(true);
    expect(p.dashboard).toBe(true);
  });

  it('a silent router (Level 3 notice) goes to network admins by e-mail at normal priority, never escalated', () => {
    const p = plan({ level: 3, building: 'b1', rootCause: { kind: 'router', type: 'router-silent' } });
    expect(who(p)).toEqual(['ann:email']);
    expect(p.pages.every((x) => x.priority === 'normal')).toBe(true);
    expect(p.escalateNow).toBeFalsy();
  });

  it('a sector (Level 2) pages the technicians whose scope covers the building', () => {
    expect(who(plan(sector))).toEqual(['tina:sms']);
  });

  it('a technician with an empty scope covers every building', () => {
    expect(who(plan(sector, [...contacts, tech('ugo', [])]))).toEqual(['tina:sms', 'ugo:sms']);
  });

  it('when no technician covers the building, nobody at Level 2 is paged and the incident goes to Level 3 now', () => {
    const p = plan({ ...sector, building: 'b9' });
    expect(who(p)).toEqual([]);
    expect(p.escalateNow).toBe(true);
  });

  it('a technician in scope who cannot be reached on an enabled channel is dropped with a warning, and counts as nobody', () => {
    const p = planAlert({ incident: sector, contacts: [tech('tina', ['b1'], { phone: null, email: 'tina@x' })], rules: DEFAULT_ROUTING_RULES, now: NOW, enabledChannels: ['sms', 'chat'] });
    expect(p.pages).toEqual([]);
    expect(p.dropped).toEqual([{ contactId: 'tina', contactName: 'tina', channel: 'sms', reason: expect.stringMatching(/no address on an enabled channel/) }]);
    expect(p.escalateNow).toBe(true);
  });

  it('a station or subscriber (Level 1) pages nobody but goes to the dashboard', () => {
    const p = plan(station);
    expect(p.pages).toEqual([]);
    expect(p.dashboard).toBe(true);
  });

  it('an escalated incident is routed at its escalated level', () => {
    expect(effectiveLevel({ level: 2, escalatedLevel: 3 })).toBe(3);
    expect(who(plan({ ...sector, escalatedLevel: 3 }))).toEqual(['ann:email', 'ann:sms', 'bob:sms']);
  });

  it('contacts off duty are skipped, unless nobody is on duty', () => {
    const night = { from: '22:00', to: '06:00' };
    expect(who(plan(core, [admin('ann'), admin('nora', { onDuty: night, email: null })]))).toEqual(['ann:email', 'ann:sms']);
    const p = plan(core, [admin('nora', { onDuty: night, email: null })]);
    expect(who(p)).toEqual(['nora:sms']);
    expect(p.notes.join()).toMatch(/nobody in scope is on duty/);
  });

  it('inactive contacts are never paged', () => {
    expect(who(plan(core, [admin('ann', { active: false }), admin('bob', { email: null })]))).toEqual(['bob:sms']);
  });
});

describe('resolve planning', () => {
  it('follows the opening, growth and escalation pages, once per contact and channel', () => {
    const prior = [
      { contactId: 'ann', channel: 'sms' as const, address: '+1', kind: 'opened' as const, priority: 'high' as const, status: 'sent' },
      { contactId: 'ann', channel: 'sms' as const, address: '+1', kind: 'escalated' as const, priority: 'high' as const, status: 'sent' },
      { contactId: 'bob', channel: 'email' as const, address: 'b@x', kind: 'escalated' as const, priority: 'high' as const, status: 'failed' },
      { contactId: 'cy', channel: 'sms' as const, address: '+3', kind: 'grown' as const, priority: 'high' as const, status: 'sent' },
    ];
    expect(planResolve(prior).map((p) => `${p.contactId}:${p.channel}`)).toEqual(['ann:sms', 'bob:email', 'cy:sms']);
    expect(planResolve([{ ...prior[0], status: 'suppressed' }, { ...prior[3], status: 'skipped' }])).toEqual([]);
  });

  it('keys are stable per incident, recipient, channel and kind', () => {
    expect(notificationKey({ incidentId: 'i', recipient: 'c', channel: 'sms', kind: 'opened' })).toBe('i.c.sms.opened');
    expect(notificationKey({ incidentId: 'i', recipient: 'c', channel: 'sms', kind: 'escalated', suffix: 'L3' })).toBe('i.c.sms.escalated.L3');
  });
});

describe('routing rules file', () => {
  it('accepts the defaults and fills optional fields', () => {
    expect(validateRoutingRules(JSON.parse(JSON.stringify(DEFAULT_ROUTING_RULES)))).toEqual(DEFAULT_ROUTING_RULES);
    const r = validateRoutingRules({ rules: [{ name: 'x', match: {}, page: { contactLevel: 2, scope: 'all', channels: ['chat'], priority: 'normal' } }] });
    expect(r.rules[0]).toMatchObject({ dashboard: true, page: { respectOnDuty: true } });
  });

  it('names every problem of a bad file', () => {
    const bad = { rules: [{ name: '', match: { levels: [4] }, page: { contactLevel: 5, scope: 'x', channels: ['fax'], priority: 'urgent' }, escalateAfterSec: -1 }] };
    try {
      validateRoutingRules(bad);
      throw new Error('expected a ValidationError');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      const msg = (err as Error).message;
      for (const p of ['name', 'match.levels', 'contactLevel', 'scope', 'channels', 'priority', 'escalateAfterSec']) expect(msg).toContain(p);
    }
  });

  it('rules are tried in order and can match on the root cause type', () => {
    const rules = validateRoutingRules({
      rules: [
        { name: 'backhaul goes to admins', match: { rootCauseTypes: ['backhaul'] }, page: { contactLevel: 3, scope: 'all', channels: ['sms'], priority: 'high' } },
        ...DEFAULT_ROUTING_RULES.rules,
      ],
    });
    const backhaul: AlertIncident = { ...sector, rootCause: { kind: 'device', type: 'backhaul' } };
    expect(planAlert({ incident: backhaul, contacts, rules, now: NOW }).pages.map((p) => p.contactName).sort()).toEqual(['ann', 'bob']);
  });
});

describe('on-duty hours', () => {
  const at = (iso: string) => new Date(iso);
  it('no window means always on duty', () => expect(isOnDuty(null, NOW)).toBe(true));
  it('a day window', () => {
    const w = { from: '08:00', to: '17:00', days: [1, 2, 3, 4, 5] };
    expect(isOnDuty(w, at('2024-06-05T09:00:00Z'))).toBe(true);
    expect(isOnDuty(w, at('2024-06-05T17:00:00Z'))).toBe(false);
    expect(isOnDuty(w, at('2024-06-08T09:00:00Z'))).toBe(false); // Saturday
  });
  it('an overnight window belongs to the day it starts', () => {
    const w = { from: '22:00', to: '06:00', days: [5] }; // Friday night
    expect(isOnDuty(w, at('2024-06-07T23:00:00Z'))).toBe(true);
    expect(isOnDuty(w, at('2024-06-08T05:00:00Z'))).toBe(true); // Saturday morning, Friday's shift
    expect(isOnDuty(w, at('2024-06-06T23:00:00Z'))).toBe(false); // Thursday night
  });
  it('uses the contact time zone', () => {
    const w = { from: '09:00', to: '17:00', timezone: 'Africa/Nairobi' }; // UTC+3
    expect(isOnDuty(w, at('2024-06-05T06:30:00Z'))).toBe(true);
    expect(isOnDuty(w, at('2024-06-05T14:30:00Z'))).toBe(false);
  });
  it('an unreadable window counts as on duty', () => expect(isOnDuty({ from: 'soon', to: 'later' }, NOW)).toBe(true));
});
