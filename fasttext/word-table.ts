/**
 * The vocabulary of a model without char n-grams (maxn 0, as supervised models are by default), where a
 * token's rows are just its word's row: a token's word id, looked up from its UTF-8 bytes and fastText word
 * hash without building a string. A word's first 8 bytes sit in its slot, beside its hash and id, so a
 * token of up to 8 bytes (most of them) is found or ruled out reading one 16-byte slot; longer words keep
 * the rest of their bytes apart. Tokens never hold a NUL byte (it ends a token), so the zero-padded first
 * 8 bytes tell words of up to 8 bytes apart exactly.
 *
 * A slot, in int32 units: hash, id + 1 (0: empty; negative when the word is longer than 8 bytes), then the
 * first 8 bytes, little-endian.
 */

import { wordHash } from './word-hash.js';

const SLOT_INTS = 4;
/** Bytes of a word kept in its slot. */
const HEAD = 8;

export class WordTable {
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly shift: number;
  /** The bytes past the first 8 of word `id` are tails[tailAt[id], tailAt[id + 1]). */
  private readonly tailAt: Int32Array;
  private readonly tails: Uint8Array;

  /** `words[id]` is word id's bytes as a latin1 string. */
  constructor(words: readonly string[]) {
    let bits = 4;
    while (1 << bits < words.length * 2) bits++;
    this.slots = new Int32Array(SLOT_INTS << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    this.tailAt = new Int32Array(words.length + 1);
    let tailBytes = 0;
    for (let id = 0; id < words.length; id++) {
      this.tailAt[id] = tailBytes;
      tailBytes += Math.max(0, words[id].length - HEAD);
    }
    this.tailAt[words.length] = tailBytes;
    this.tails = new Uint8Array(tailBytes);
    const bytes = new Uint8Array(256);
    for (let id = 0; id < words.length; id++) {
      const w = words[id];
      // A word with a NUL byte can match no token.
      if (w.includes('\0')) continue;
      const b = w.length <= bytes.length ? bytes : new Uint8Array(w.length);
      for (let i = 0; i < w.length; i++) b[i] = w.charCodeAt(i);
      this.tails.set(b.subarray(HEAD, w.length), this.tailAt[id]);
      this.insert(b, w.length, id);
    }
  }

  /** Loads the first slot of hash `h`, so that a later find of it finds the slot in cache. */
  touch(h: number): number {
    return this.slots[this.slotOf(h)];
  }

  /**
   * The word id of bytes[from, to), or -1 when it is not a word of the vocabulary. `h` is its word hash,
   * `lo` and `hi` its first 8 bytes as headOf gives them.
   */
  find(h: number, lo: number, hi: number, bytes: Uint8Array, from: number, to: number): number {
    const len = to - from;
    const slots = this.slots;
    for (let s = this.slotOf(h); ; s = (s + SLOT_INTS) & (this.mask * SLOT_INTS)) {
      const v = slots[s + 1];
      if (v === 0) return -1;
      if (slots[s] !== h || slots[s + 2] !== lo || slots[s + 3] !== hi) continue;
      if (v > 0) {
        if (len <= HEAD) return v - 1;
      } else if (len > HEAD && this.tailEquals(-v - 1, bytes, from + HEAD, to)) return -v - 1;
    }
  }

  /** find for a whole token array: its word id, or -1. */
  idOf(token: Uint8Array): number {
    const len = token.length;
    return this.find(wordHash(token, 0, len), headOf(token, 0, len, 0), headOf(token, 0, len, 4), token, 0, len);
  }

  private tailEquals(id: number, bytes: Uint8Array, from: number, to: number): boolean {
    const at = this.tailAt[id];
    if (this.tailAt[id + 1] - at !== to - from) return false;
    const tails = this.tails;
    for (let i = 0; i < to - from; i++) if (tails[at + i] !== bytes[from + i]) return false;
    return true;
  }

  /** Adds word `id` (bytes b[0, len)); a word already present takes the later id, as a Map would. */
  private insert(b: Uint8Array, len: number, id: number): void {
    const h = wordHash(b, 0, len);
    const found = this.find(h, headOf(b, 0, len, 0), headOf(b, 0, len, 4), b, 0, len);
    const v = len > HEAD ? -(id + 1) : id + 1;
    let s = this.slotOf(h);
    if (found >= 0) {
      while (Math.abs(this.slots[s + 1]) !== found + 1) s = (s + SLOT_INTS) & (this.mask * SLOT_INTS);
    } else {
      while (this.slots[s + 1] !== 0) s = (s + SLOT_INTS) & (this.mask * SLOT_INTS);
    }
    this.slots[s] = h;
    this.slots[s + 1] = v;
    this.slots[s + 2] = headOf(b, 0, len, 0);
    this.slots[s + 3] = headOf(b, 0, len, 4);
  }

  /** The index in `slots` of hash h's first slot (Fibonacci hashing spreads similar hashes apart). */
  private slotOf(h: number): number {
    return (Math.imul(h, 0x9e3779b1) >>> this.shift) * SLOT_INTS;
  }
}

/**
 * Bytes [at, at + 4) of the token b[from, to) as a little-endian int32, zero past its end: at 0 the low half
 * of its head, at 4 the high half.
 */
export function headOf(b: Uint8Array, from: number, to: number, at: number): number {
  let v = 0;
  for (let i = Math.min(to, from + at + 4) - 1; i >= from + at; i--) v = (v << 8) | b[i];
  return v;
}

/** Masks keeping the first n bytes of a little-endian int32 read from a token's head (index: min(n, 8)). */
export const HEAD_LO_MASK = Int32Array.from({ length: HEAD + 1 }, (_, n) => (n >= 4 ? -1 : (1 << (8 * n)) - 1));
export const HEAD_HI_MASK = Int32Array.from({ length: HEAD + 1 }, (_, n) => (n >= 8 ? -1 : n <= 4 ? 0 : (1 << (8 * (n - 4))) - 1));
