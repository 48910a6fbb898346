import { MessageTemplates, fill } from './message-templates';
import { SMS_MAX_UNITS, gsmUnits, prepareSms, smsSegments, truncateGsm, truncateSms } from './sms-text';

const vars = {
  org: 'ISP NetOps', level: 2, building: 'Riverside Towers', rootType: 'sector AP', rootName: 'RT-North-5G',
  stations: 14, devices: 3, subscribers: 212, openedAt: '2024-06-05 10:00 UTC', incidentId: '665f0c0ffee0000000000001', shortId: '000001', priority: 'normal', duration: '12m',
};

describe('message templates', () => {
  const templates = MessageTemplates.fromFile();

  it('the shipped file has every kind, and a Level 2 SMS names the building, the device and the impact', () => {
    const m = templates.render('opened', vars);
    expect(m.sms).toContain('Riverside Towers');
    expect(m.sms).toContain('RT-North-5G');
    expect(m.sms).toMatch(/14 stations, 3 devices, 212 subscribers/);
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

describe('SMS encoding', () => {
  it('GSM-7 when the text fits it after plain punctuation and dropped accents', () => {
    expect(prepareSms('Bogotá Café “Nord” → down…')).toEqual({ text: 'Bogota Café "Nord" -> down...', encoding: 'GSM-7' });
    expect(prepareSms('Jengo la Mnazi Mmoja {B}')).toEqual({ text: 'Jengo la Mnazi Mmoja {B}', encoding: 'GSM-7' });
  });

  it('UCS-2 with every original letter when one has no GSM-7 form', () => {
    expect(prepareSms('مبنى النور down ✓ “x”')).toEqual({ text: 'مبنى النور down ✓ "x"', encoding: 'UCS-2' });
    expect(prepareSms('Łódź Café').encoding).toBe('UCS-2');
    expect(prepareSms('Łódź Café').text).toBe('Łódź Café');
  });

  it('counts segments: 160/153 septets for GSM-7, 70/67 code units for UCS-2', () => {
    expect(smsSegments('x'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('x'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(smsSegments('{'.repeat(80)).segments).toBe(1);
    expect(smsSegments('ن'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsSegments('ن'.repeat(71))).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(smsSegments('ن'.repeat(135)).segments).toBe(3);
  });

  it('cuts UCS-2 text without splitting a surrogate pair', () => {
    const cut = truncateSms('😀'.repeat(40), 70, 'UCS-2');
    expect(cut.length).toBeLessThanOrEqual(70);
    expect(cut.endsWith('..')).toBe(true);
    expect(cut.slice(0, -2)).toBe('😀'.repeat(34));
  });

  it('a page naming an Arabic building is UCS-2, keeps the name and stays within the segment limit', () => {
    const t = MessageTemplates.fromFile(undefined, { smsMaxSegments: 2 });
    const m = t.render('opened', { ...vars, building: 'برج النخيل' });
    expect(m.sms).toContain('برج النخيل');
    expect(smsSegments(m.sms)).toMatchObject({ encoding: 'UCS-2', segments: 2 });
    const one = MessageTemplates.fromFile().render('opened', { ...vars, building: 'برج النخيل' });
    expect(smsSegments(one.sms)).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(one.sms).toContain('برج');
  });
});

describe('GSM text', () => {
  it('counts extension characters twice and cuts with a mark', () => {
    expect(gsmUnits('{}')).toBe(4);
    const cut = truncateGsm('x'.repeat(200));
    expect(cut).toHaveLength(160);
    expect(cut.endsWith('..')).toBe(true);
  });
});
