import { HOT_MAX_LENGTH } from './hot-cache.js';

/**
 * Pre-token → token count for short pre-tokens, one table per process that every worker thread reads and fills
 * (a SharedArrayBuffer handed out by core/shared-once.ts).
 *
 * Why: a thread's own caches start empty, so its first task merges every common word of the text again; with
 * one table the threads of a pool merge each common word once between them, and a thread started later finds
 * them merged.
 *
 * A slot is written once and never changed: claimed (compare-and-exchange from empty), filled, then published
 * with an atomic store of the count. A reader that loads a published count reads a finished key. A piece whose
 * slot holds another piece, or is being written, is left to the thread's own caches. The pieces that come first
 * in a run hold the slots, and those are mostly the common ones.
 *
 * A slot, in int32 units: state (0 empty, -1 being written, count + 1 published), length, then the UTF-16 code
 * units, two per int.
 */
const SLOT_BITS = 17;
const SLOT_INTS = 2 + Math.ceil(HOT_MAX_LENGTH / 2);
const EMPTY = 0;
const WRITING = -1;

export const SHARED_COUNTS_BYTES = (1 << SLOT_BITS) * SLOT_INTS * 4;

export class SharedPieceCounts {
  private readonly words: Int32Array;

  /** `buffer`: SHARED_COUNTS_BYTES of zeros, or a table another thread made. */
  constructor(buffer: SharedArrayBuffer) {
    if (buffer.byteLength !== SHARED_COUNTS_BYTES) throw new Error(`shared piece counts: expected ${SHARED_COUNTS_BYTES} bytes, got ${buffer.byteLength}`);
    this.words = new Int32Array(buffer);
  }

  static create(): SharedArrayBuffer {
    return new SharedArrayBuffer(SHARED_COUNTS_BYTES);
  }

  /** The count published for `piece` (at most HOT_MAX_LENGTH code units), or -1. */
  get(piece: string): number {
    const words = this.words;
    const base = slotOf(piece);
    const state = Atomics.load(words, base);
    if (state <= EMPTY) return -1;
    const len = piece.length;
    if (words[base + 1] !== len) return -1;
    for (let i = 0, w = base + 2; i < len; i += 2, w++) {
      const pair = words[w];
      if ((pair & 0xffff) !== piece.charCodeAt(i)) return -1;
      if (i + 1 < len && pair >>> 16 !== piece.charCodeAt(i + 1)) return -1;
    }
    return state - 1;
  }

  /** Publishes `piece`'s count if its slot is empty; otherwise leaves the slot as it is. */
  add(piece: string, count: number): void {
    const words = this.words;
    const base = slotOf(piece);
    if (words[base] !== EMPTY || Atomics.compareExchange(words, base, EMPTY, WRITING) !== EMPTY) return;
    const len = piece.length;
    words[base + 1] = len;
    for (let i = 0, w = base + 2; i < len; i += 2, w++) words[w] = piece.charCodeAt(i) | (i + 1 < len ? piece.charCodeAt(i + 1) << 16 : 0);
    Atomics.store(words, base, count + 1);
  }
}

/** The first int of the piece's slot: a multiplicative hash of its code units, top bits. */
function slotOf(piece: string): number {
  let h = piece.length;
  for (let i = 0; i < piece.length; i++) h = Math.imul(h ^ piece.charCodeAt(i), 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return (h >>> (32 - SLOT_BITS)) * SLOT_INTS;
}
