import { attributesOf, decodeLength, encodeLength, encodeSentence, SentenceDecoder } from './wire-protocol';
import { matchesQuery } from './query-engine';

describe('RouterOS API wire protocol', () => {
  it.each([
    [0, 1],
    [0x7f, 1],
    [0x80, 2],
    [0x3fff, 2],
    [0x4000, 3],
    [0x1fffff, 3],
    [0x200000, 4],
    [0xfffffff, 4],
    [0x10000000, 5],
    [0xffffffff, 5],
  ])('length %i takes %i byte(s) and decodes back', (len, bytes) => {
    const enc = encodeLength(len);
    expect(enc.length).toBe(bytes);
    expect(decodeLength(enc)).toEqual([len, bytes]);
  });

  it('matches the documented prefixes', () => {
    expect(encodeLength(0x80)).toEqual(Buffer.from([0x80, 0x80]));
    expect(encodeLength(0x4000)).toEqual(Buffer.from([0xc0, 0x40, 0x00]));
    expect(encodeLength(0x200000)).toEqual(Buffer.from([0xe0, 0x20, 0x00, 0x00]));
    expect(encodeLength(0x10000000)).toEqual(Buffer.from([0xf0, 0x10, 0x00, 0x00, 0x00]));
    expect(() => decodeLength(Buffer.from([0xf8]))).toThrow(/control byte/);
  });

  it('frames a sentence in one buffer exactly as word-by-word framing would, at every prefix size', () => {
    const words: (string | Buffer)[] = ['/ppp/secret/add', '', ...[0x7f, 0x80, 0x3fff, 0x4000, 0x1fffff, 0x200000].map((n) => 'y'.repeat(n)), Buffer.from([0x00, 0x80, 0xe9, 0xff]), '=comment=caf\u00e9'];
    const bytes = (w: string | Buffer) => (typeof w === 'string' ? Buffer.from(w, 'latin1') : w);
    const expected = Buffer.concat([...words.flatMap((w) => [encodeLength(bytes(w).length), bytes(w)]), Buffer.from([0])]);
    expect(encodeSentence(words).equals(expected)).toBe(true);
  });

  it('decodes sentences split at any byte, long words included', () => {
    const long = 'x'.repeat(0x4001);
    const wire = Buffer.concat([encodeSentence(['/ppp/secret/add', `=comment=${long}`, '=name=a=b', '.tag=1']), Buffer.from([0]), encodeSentence(['/quit'])]);
    const dec = new SentenceDecoder();
    const out: string[][] = [];
    for (let i = 0; i < wire.length; i += 7) out.push(...dec.push(wire.subarray(i, i + 7)));
    expect(out).toEqual([['/ppp/secret/add', `=comment=${long}`, '=name=a=b', '.tag=1'], ['/quit']]); // empty sentence skipped
    expect(attributesOf(out[0])).toEqual({ comment: long, name: 'a=b' });
  });
});

describe('simulator query stack', () => {
  const row = { type: 'ether', name: 'e1', mtu: '1500', comment: '' };
  it.each([
    [['?type=ether'], true],
    [['?type=vlan'], false],
    [['?type=vlan', '?type=ether', '?#|'], true],
    [['?name'], true],
    [['?-name'], false],
    [['?-disabled'], true],
    [['?>mtu=1400'], true],
    [['?<mtu=1400'], false],
    [['?>comment='], false],
    [['?>mtu=1400', '?type=ether', '?#&!'], false],
    [['?type=vlan', '?#!'], true],
  ])('%j -> %s', (q, expected) => expect(matchesQuery(row, q)).toBe(expected));
});
