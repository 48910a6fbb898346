import { MessageTemplates, fill } from './message-templates';
import { SMS_MAX_UNITS, gsmUnits, toGsm, truncateGsm } from './sms-text';

const vars = {
  org: 'ISP NetOps', level: 2, building: 'Riverside Towers', rootType: 'sector AP', rootName: 'RT-North-5G',
  stations: 14, subscribers: 212, openedAt: '2024-06-05 10:00 UTC', incidentId: '665f0c0ffee0000000000001', shortId: '000001', priority: 'normal', duration: '12m',
};

describe('message templates', () => {
  const templates = MessageTemplates.fromFile();

  it('the shipped file has every kind, and a Level 2 SMS names the building, the device and the impact', () => {
    const m = templates.render('opened', vars);
    expect(m.sms).toContain('Riverside Towers');
    expect(m.sms).toContain('RT-North-5G');
    expect(m.sms).toMatch(/14 stations, 212 subscribers/);
    expect(gsmUnits(m.sms)).toBeLessThanOrEqual(SMS_MAX_UNITS);
    expect(m.subject).toBe('[L2 DOWN] Riverside Towers: sector AP RT-North-5G');
    expect(m.body).toContain('212 subscribers');
  });

  it('an SMS with very long names still fits one message and keeps the impact', () => {
    const m = templates.render('escalated', { ...vars, building: 'The Very Long Name Of A Building In The Industrial Park East Wing', rootName: 'sector-ap-with-a-ridiculously-long-identity-string' });
    expect(gsmUnits(m.sms)).toBeLessThanOrEqual(SMS_MAX_UNITS);
    expect(m.sms).toMatch(/14 stations/);
  });

  it('missing parts are named at load', () => {
    expect(() => MessageTemplates.fromYaml('opened:\n  sms: x\n', 'custom.yaml')).toThrow(/custom.yaml.*opened.subject.*resolved.chat/);
  });

  it('unknown placeholders render empty', () => expect(fill('a{{nope}}b{{ level }}', { level: 3 })).toBe('ab3'));
});

describe('GSM text', () => {
  it('replaces characters that would force UCS-2', () => {
    expect(toGsm('Bogotá Café “Nord” → down… ✓')).toBe('Bogota Café "Nord" -> down... ?');
  });
  it('counts extension characters twice and cuts with a mark', () => {
    expect(gsmUnits('{}')).toBe(4);
    const cut = truncateGsm('x'.repeat(200));
    expect(cut).toHaveLength(160);
    expect(cut.endsWith('..')).toBe(true);
  });
});
