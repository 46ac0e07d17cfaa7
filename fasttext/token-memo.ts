/**
 * Remembers each distinct token's input rows, keyed by the token's UTF-8 bytes. Looking a token up allocates
 * nothing (a Map would need a JS string per token), and everything about one token sits in one record of a
 * flat arena, so a lookup touches two places in memory: its slot in the open-addressing table (which keeps
 * the token's hash too, so a probe past another token's slot does not read that token's record), then its
 * record. On real text most tokens are repeats, so this lookup is most of the per-token cost. When the table
 * or the arena fills up the memo starts afresh, which keeps its memory fixed.
 *
 * A record, in int32 units: hash, byte length, row count, the rows, then the key bytes (4 per int).
 */

const SLOT_BITS = 18;
const MAX_ENTRIES = 1 << (SLOT_BITS - 1);
const ARENA_INTS = 2 << 20;
const HEADER = 3;
/** Longer tokens are rare and not worth an arena's space; they are recomputed each time. */
export const MAX_MEMO_TOKEN = 64;

export class TokenMemo {
  /** Per slot: record offset + 1 (0: empty), then the token's hash. */
  private readonly slots = new Int32Array(2 << SLOT_BITS);
  readonly arena = new Int32Array(ARENA_INTS);
  private readonly arenaBytes = new Uint8Array(this.arena.buffer);
  private used = 0;
  private entries = 0;

  /** The record's rows are arena[rowsFrom(rec), rowsTo(rec)). */
  rowsFrom(rec: number): number {
    return rec + HEADER;
  }

  rowsTo(rec: number): number {
    return rec + HEADER + this.arena[rec + 2];
  }

  /** Reads the first slot of hash `h`, so that a later find of it finds the slot in cache. */
  touch(h: number): number {
    return this.slots[slotOf(h)];
  }

  /** The record of bytes[from, to) with hash `h`, or -1. */
  find(bytes: Uint8Array, from: number, to: number, h: number): number {
    const slots = this.slots;
    const mask = slots.length - 2;
    const len = to - from;
    const arena = this.arena;
    for (let s = slotOf(h); ; s = (s + 2) & mask) {
      const rec = slots[s] - 1;
      if (rec < 0) return -1;
      if (slots[s + 1] !== h || arena[rec + 1] !== len) continue;
      const key = (rec + HEADER + arena[rec + 2]) * 4;
      let i = 0;
      while (i < len && this.arenaBytes[key + i] === bytes[from + i]) i++;
      if (i === len) return rec;
    }
  }

  /** Stores a token (at most MAX_MEMO_TOKEN bytes, not already present) and its rows; returns its record. */
  add(bytes: Uint8Array, from: number, to: number, h: number, rows: ArrayLike<number>): number {
    const len = to - from;
    const size = HEADER + rows.length + ((len + 3) >> 2);
    if (this.entries === MAX_ENTRIES || this.used + size > ARENA_INTS) this.clear();
    const rec = this.used;
    this.used += size;
    this.entries++;
    const arena = this.arena;
    arena[rec] = h;
    arena[rec + 1] = len;
    arena[rec + 2] = rows.length;
    arena.set(rows, rec + HEADER);
    this.arenaBytes.set(bytes.subarray(from, to), (rec + HEADER + rows.length) * 4);
    const mask = this.slots.length - 2;
    let s = slotOf(h);
    while (this.slots[s] !== 0) s = (s + 2) & mask;
    this.slots[s] = rec + 1;
    this.slots[s + 1] = h;
    return rec;
  }

  private clear(): void {
    this.slots.fill(0);
    this.used = 0;
    this.entries = 0;
  }
}

/** Spreads a hash's bits into the slot's index in `slots` (Fibonacci hashing), so similar tokens do not cluster. */
function slotOf(h: number): number {
  return (Math.imul(h, 0x9e3779b1) >>> (32 - SLOT_BITS)) << 1;
}
