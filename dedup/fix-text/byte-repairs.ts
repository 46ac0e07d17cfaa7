/**
 * Repairs to the bytes of a misread text before they are decoded as UTF-8 again, as ftfy documents them
 * (restore_byte_a0, replace_lossy_sequences, the utf-8-variants codec). The byte sets are measured against
 * ftfy's own functions (test/unit/fix-text.test.ts).
 */

const SPACE = 0x20;
const NBSP = 0xa0;
const SUB = 0x1a;
const QUESTION = 0x3f;
const REPLACEMENT = [0xef, 0xbf, 0xbd] as const;

/** Bytes appended to a buffer sized for the worst case. */
class ByteWriter {
  private readonly buf: Uint8Array;
  private n = 0;
  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
  }
  push(b: number): void {
    this.buf[this.n++] = b;
  }
  push2(a: number, b: number): void {
    this.buf[this.n++] = a;
    this.buf[this.n++] = b;
  }
  push3(bytes: readonly [number, number, number]): void {
    this.push2(bytes[0], bytes[1]);
    this.buf[this.n++] = bytes[2];
  }
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.n);
  }
}

export const isCont = (b: number | undefined): boolean => b !== undefined && b >= 0x80 && b <= 0xbf;
/** Continuation bytes that count beside a lost 0xA0 in a three-byte sequence: not 0x85 or 0xA0, which read as spaces. */
const isCont3 = (b: number | undefined): boolean => isCont(b) && b !== 0x85 && b !== NBSP;

/** Two-byte lead bytes whose sequence with 0xA0 is a common character (U+00A0, à, Š, Π, Р, ٠). */
const A0_LEADS_2 = new Set([0xc2, 0xc3, 0xc5, 0xce, 0xd0, 0xd9]);

/**
 * Puts back a 0xA0 byte that a process turned into a space inside what would otherwise be a UTF-8 sequence.
 * After 0xC3 the space also kept its role as a space (`à ` is common), so one following space is taken with it
 * and one is written back.
 */
export function restoreByteA0(bytes: Uint8Array): Uint8Array {
  if (!bytes.includes(SPACE)) return bytes;
  // Each input byte gives at most one output byte, but for 0xC3's added space: at most 1.5 times the input.
  const out = new ByteWriter(bytes.length + (bytes.length >> 1) + 1);
  let changed = false;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0xc2 || b > 0xf0) {
      out.push(b);
      i++;
      continue;
    }
    const n1 = bytes[i + 1];
    const n2 = bytes[i + 2];
    const n3 = bytes[i + 3];
    if (A0_LEADS_2.has(b) && n1 === SPACE) {
      out.push2(b, NBSP);
      i += 2;
      if (b === 0xc3) {
        out.push(SPACE);
        if (bytes[i] === SPACE) i++;
      }
      changed = true;
      continue;
    }
    if ((b === 0xe2 || b === 0xe3) && n1 === SPACE && isCont3(n2) || b >= 0xe0 && b <= 0xe3 && isCont3(n1) && n2 === SPACE) {
      out.push(b);
      out.push2(n1 === SPACE ? NBSP : n1!, n2 === SPACE ? NBSP : n2!);
      i += 3;
      changed = true;
      continue;
    }
    if (b === 0xf0 && [n1, n2, n3].filter((x) => x === SPACE).length === 1 && [n1, n2, n3].filter(isCont).length === 2) {
      out.push2(b, n1 === SPACE ? NBSP : n1!);
      out.push2(n2 === SPACE ? NBSP : n2!, n3 === SPACE ? NBSP : n3!);
      i += 4;
      changed = true;
      continue;
    }
    out.push(b);
    i++;
  }
  return changed ? out.bytes() : bytes;
}

/** A continuation byte, or the mark a lossy decoder left in its place. */
const isLost = (b: number | undefined): boolean => b === SUB || b === QUESTION;

/**
 * Turns what was a UTF-8 sequence before a lossy decoder replaced some of its bytes (by U+FFFD, encoded back
 * as 0x1A, or by '?') into the UTF-8 of U+FFFD; a 0x1A left over becomes U+FFFD as well.
 */
export function replaceLossySequences(bytes: Uint8Array): Uint8Array {
  if (!bytes.includes(SUB) && !bytes.includes(QUESTION)) return bytes;
  const out = new ByteWriter(bytes.length * 3);
  let changed = false;
  for (let i = 0; i < bytes.length; ) {
    const len = bytes[i]! >= 0xc2 ? lossySequenceLength(bytes, i) : 0;
    if (len > 0) {
      out.push3(REPLACEMENT);
      i += len;
      changed = true;
    } else if (bytes[i] === SUB) {
      out.push3(REPLACEMENT);
      i++;
      changed = true;
    } else {
      out.push(bytes[i]!);
      i++;
    }
  }
  return changed ? out.bytes() : bytes;
}

function lossySequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  const width = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (width === 0 || i + width > bytes.length) return 0;
  let questions = 0;
  let subs = 0;
  for (let k = i + 1; k < i + width; k++) {
    const x = bytes[k]!;
    if (x === QUESTION) questions++;
    else if (x === SUB) subs++;
    else if (!isCont(x)) return 0;
  }
  if (questions > 1) return 0;
  if (subs > 0) return width;
  if (questions === 0) return 0;
  return width === 2 ? (b <= 0xc3 ? 2 : 0) : width;
}
