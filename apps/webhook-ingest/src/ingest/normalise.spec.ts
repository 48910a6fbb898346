import { decodeFormValue, eventTime, isPrintable, parseRouterTime, sanitiseText } from './normalise';

describe('parseRouterTime', () => {
  it('reads both RouterOS date shapes as UTC', () => {
    expect(parseRouterTime('2026-11-28 15:30:01')?.toISOString()).toBe('2026-11-28T15:30:01.000Z');
    expect(parseRouterTime('nov/28/2026 15:30:01')?.toISOString()).toBe('2026-11-28T15:30:01.000Z');
    expect(parseRouterTime('Nov/28/2026 15:30:01')?.toISOString()).toBe('2026-11-28T15:30:01.000Z');
  });
  it.each(['2026-02-30 10:00:00', '2026-11-28 24:00:00', 'foo/28/2026 15:30:01', 'yesterday', '2026-11-28T15:30:01Z', ''])('refuses %p', (t) => expect(parseRouterTime(t)).toBeNull());
});

describe('eventTime', () => {
  const received = new Date('2026-11-28T15:30:05Z');
  it('trusts the router clock when close to ours', () => expect(eventTime('2026-11-28 15:30:01', received, 300_000).toISOString()).toBe('2026-11-28T15:30:01.000Z'));
  it('uses receipt time when the router clock is off (or in another zone)', () => expect(eventTime('2026-11-28 18:30:01', received, 300_000)).toBe(received));
  it('uses receipt time without a router time', () => expect(eventTime(undefined, received, 300_000)).toBe(received));
});

describe('text', () => {
  it('printable: no control characters or lone surrogates, unicode is fine', () => {
    expect(isPrintable(`O'Brien "x" ユーザー😀`)).toBe(true);
    expect(isPrintable('a\u0000')).toBe(false);
    expect(isPrintable('a\u009b')).toBe(false);
    expect(isPrintable('a\ud800')).toBe(false);
  });
  it('sanitise strips and caps', () => expect(sanitiseText('a\r\nb\u0007c', 2)).toBe('ab'));
});

describe('decodeFormValue', () => {
  it.each([
    ['plain', 'plain'],
    ['a+b%20c', 'a b c'],
    ['sub%40isp', 'sub@isp'],
    ['jos%C3%A9', 'jos\u00e9'], // UTF-8 (v7, names the generator encoded)
    ['jos%E9', 'jos\u00e9'], // win1252 bytes of a v6 router
    ['%80uro', '\u20acuro'], // 0x80 is the euro sign in win1252
    ['%C3%BC%E9', '\u00c3\u00bc\u00e9'], // not UTF-8 as a whole: win1252 throughout
    ['raw \u00fc', 'raw \u00fc'],
    ['100%', '100%'],
    ['%zz%4', '%zz%4'],
  ])('%p -> %p', (raw, out) => expect(decodeFormValue(raw)).toBe(out));
});
