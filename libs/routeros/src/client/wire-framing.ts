/**
 * RouterOS API framing (docs/routeros.md §6): a word is a length prefix plus bytes, a sentence is
 * words ended by a zero-length word. The client (node-routeros-fixes.ts) and the simulator both
 * write sentences with this.
 */

export function encodeLength(len: number): Buffer {
  if (len < 0x80) return Buffer.from([len]);
  if (len < 0x4000) return Buffer.from([((len | 0x8000) >>> 8) & 0xff, len & 0xff]);
  if (len < 0x200000) return Buffer.from([((len | 0xc00000) >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff]);
  if (len < 0x10000000) {
    return Buffer.from([((len | 0xe0000000) >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff]);
  }
  return Buffer.from([0xf0, (len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff]);
}

/** Bytes taken by the length prefix of a word of `len` bytes. */
function prefixSize(len: number): number {
  return len < 0x80 ? 1 : len < 0x4000 ? 2 : len < 0x200000 ? 3 : len < 0x10000000 ? 4 : 5;
}

function writeLength(out: Buffer, pos: number, len: number): number {
  switch (prefixSize(len)) {
    case 1:
      out[pos] = len;
      return pos + 1;
    case 2:
      out.writeUInt16BE((len | 0x8000) & 0xffff, pos);
      return pos + 2;
    case 3:
      out[pos] = ((len | 0xc00000) >>> 16) & 0xff;
      out.writeUInt16BE(len & 0xffff, pos + 1);
      return pos + 3;
    case 4:
      out.writeUInt32BE((len | 0xe0000000) >>> 0, pos);
      return pos + 4;
    default:
      out[pos] = 0xf0;
      out.writeUInt32BE(len >>> 0, pos + 1);
      return pos + 5;
  }
}

/**
 * One sentence in one buffer: strings are written one byte per character (latin1, so every byte
 * value round-trips), Buffers as they are; then the empty word. One allocation, however many
 * words: the sentence encoder runs for every command and every reply row.
 */
export function encodeSentence(words: readonly (string | Buffer)[]): Buffer {
  let size = 1;
  for (const w of words) size += prefixSize(w.length) + w.length;
  const out = Buffer.allocUnsafe(size);
  let pos = 0;
  for (const w of words) {
    pos = writeLength(out, pos, w.length);
    pos += typeof w === 'string' ? out.write(w, pos, 'latin1') : w.copy(out, pos);
  }
  out[pos] = 0;
  return out;
}
