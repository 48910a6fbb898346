/**
 * The simulator's side of the RouterOS API framing: decoding (the encoding is the client's,
 * client/wire-framing.ts, so both sides of a test agree on it). Bytes are kept as latin1 so
 * any byte round-trips.
 */
import { encodeLength, encodeSentence } from '@isp/routeros/client/wire-framing';

export { encodeLength, encodeSentence };

/** Returns [length, bytes used by the prefix], or null when the prefix is not complete yet. */
export function decodeLength(buf: Buffer, offset = 0): [number, number] | null {
  if (buf.length <= offset) return null;
  const b = buf[offset];
  if (b >= 0xf8) throw new Error(`reserved control byte 0x${b.toString(16)} in API stream`);
  const need = b < 0x80 ? 1 : b < 0xc0 ? 2 : b < 0xe0 ? 3 : b < 0xf0 ? 4 : 5;
  if (buf.length < offset + need) return null;
  switch (need) {
    case 1:
      return [b, 1];
    case 2:
      return [((b & 0x3f) << 8) | buf[offset + 1], 2];
    case 3:
      return [((b & 0x1f) << 16) | (buf[offset + 1] << 8) | buf[offset + 2], 3];
    case 4:
      return [(b & 0x0f) * 0x1000000 + ((buf[offset + 1] << 16) | (buf[offset + 2] << 8) | buf[offset + 3]), 4];
    default:
      return [buf.readUInt32BE(offset + 1), 5];
  }
}

/** Incremental decoder: feed socket chunks, get complete sentences (empty sentences skipped). */
export class SentenceDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private words: string[] = [];

  push(chunk: Buffer): string[][] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: string[][] = [];
    let pos = 0;
    for (;;) {
      const len = decodeLength(this.buf, pos);
      if (!len) break;
      const [n, used] = len;
      if (this.buf.length < pos + used + n) break;
      pos += used;
      if (n === 0) {
        if (this.words.length) out.push(this.words);
        this.words = [];
      } else {
        this.words.push(this.buf.toString('latin1', pos, pos + n));
        pos += n;
      }
    }
    this.buf = this.buf.subarray(pos);
    return out;
  }
}

/** `=name=value` words to an object; the value may itself contain `=`. */
export function attributesOf(words: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of words) {
    if (!w.startsWith('=')) continue;
    const eq = w.indexOf('=', 1);
    if (eq < 0) out[w.slice(1)] = '';
    else out[w.slice(1, eq)] = w.slice(eq + 1);
  }
  return out;
}
