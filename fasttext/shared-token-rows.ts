/**
 * Token → input rows for one model, one table per process that every worker thread reads and fills (a
 * SharedArrayBuffer handed out by core/shared-once.ts), behind each thread's own TokenMemo.
 *
 * Why: a thread's memo starts empty, so its first task works out the rows of every common word again (the
 * char n-gram hashes and bucket lookups); with one table the threads of a pool do that once between them, and
 * a thread started later finds them done.
 *
 * A slot is written once and never changed: claimed (compare-and-exchange from empty), its hash and record
 * filled, then published with an atomic store of the record's offset. A reader that loads a published offset
 * reads a finished record. When the arena is full, or a token's probes find no free slot, the token is left to
 * the thread's own memo; the tokens that come first in a run hold the table, and those are mostly the common
 * ones. A record, in int32 units: byte length, row count, the rows, then the key bytes (4 per int).
 */
const SLOT_BITS = 17;
const SLOTS = 1 << SLOT_BITS;
const ARENA_INTS = 2 << 20;
const MAX_PROBES = 8;
const EMPTY = 0;
const WRITING = -1;
/** A slot claimed when the arena had no room left. */
const UNUSED = -2;
/** Int32 offsets in the buffer: the arena's fill, the slots (state, hash), the arena. */
const USED_AT = 0;
const SLOTS_AT = 2;
const ARENA_AT = SLOTS_AT + 2 * SLOTS;

export const SHARED_TOKEN_ROWS_BYTES = (ARENA_AT + ARENA_INTS) * 4;

export class SharedTokenRows {
  private readonly used: Int32Array;
  private readonly slots: Int32Array;
  /** Records; a record's rows are arena[rowsFrom(rec), rowsTo(rec)). */
  readonly arena: Int32Array;
  private readonly arenaBytes: Uint8Array;

  /** `buffer`: SHARED_TOKEN_ROWS_BYTES of zeros, or a table another thread made. */
  constructor(buffer: SharedArrayBuffer) {
    if (buffer.byteLength !== SHARED_TOKEN_ROWS_BYTES) throw new Error(`shared token rows: expected ${SHARED_TOKEN_ROWS_BYTES} bytes, got ${buffer.byteLength}`);
    this.used = new Int32Array(buffer, USED_AT * 4, 1);
    this.slots = new Int32Array(buffer, SLOTS_AT * 4, 2 * SLOTS);
    this.arena = new Int32Array(buffer, ARENA_AT * 4, ARENA_INTS);
    this.arenaBytes = new Uint8Array(buffer, ARENA_AT * 4, ARENA_INTS * 4);
  }

  static create(): SharedArrayBuffer {
    return new SharedArrayBuffer(SHARED_TOKEN_ROWS_BYTES);
  }

  rowsFrom(rec: number): number {
    return rec + 2;
  }

  rowsTo(rec: number): number {
    return rec + 2 + this.arena[rec + 1];
  }

  /** The published record of bytes[from, to) with hash `h`, or -1. */
  find(bytes: Uint8Array, from: number, to: number, h: number): number {
    const { slots, arena } = this;
    const len = to - from;
    for (let s = slotOf(h), probe = 0; probe < MAX_PROBES; probe++, s = (s + 2) & (2 * SLOTS - 1)) {
      const state = Atomics.load(slots, s);
      if (state === EMPTY) return -1;
      if (state < 0 || slots[s + 1] !== h) continue;
      const rec = state - 1;
      if (arena[rec] !== len) continue;
      const key = (rec + 2 + arena[rec + 1]) * 4;
      let i = 0;
      while (i < len && this.arenaBytes[key + i] === bytes[from + i]) i++;
      if (i === len) return rec;
    }
    return -1;
  }

  /** Publishes bytes[from, to)'s rows in the first free slot of its probes, if there is one and the arena has room. */
  add(bytes: Uint8Array, from: number, to: number, h: number, rows: ArrayLike<number>): void {
    const slots = this.slots;
    const len = to - from;
    const size = 2 + rows.length + ((len + 3) >> 2);
    if (Atomics.load(this.used, 0) + size > ARENA_INTS) return;
    for (let s = slotOf(h), probe = 0; probe < MAX_PROBES; probe++, s = (s + 2) & (2 * SLOTS - 1)) {
      if (slots[s] !== EMPTY || Atomics.compareExchange(slots, s, EMPTY, WRITING) !== EMPTY) continue;
      const rec = Atomics.add(this.used, 0, size);
      if (rec + size > ARENA_INTS) {
        Atomics.store(slots, s, UNUSED);
        return;
      }
      const arena = this.arena;
      arena[rec] = len;
      arena[rec + 1] = rows.length;
      arena.set(rows, rec + 2);
      this.arenaBytes.set(bytes.subarray(from, to), (rec + 2 + rows.length) * 4);
      slots[s + 1] = h;
      Atomics.store(slots, s, rec + 1);
      return;
    }
  }
}

/** A slot's first int: the hash's top bits (Fibonacci hashing, with another multiplier than TokenMemo's). */
function slotOf(h: number): number {
  return (Math.imul(h, 0x85ebca6b) >>> (32 - SLOT_BITS)) << 1;
}
