/**
 * A memo from short substrings to how they split into tokens, looked up by the substring's UTF-16 units and a
 * hash the caller computed while scanning them, so that a hit builds no string. Everything lives in two typed
 * arrays (slots of [hash, record offset], and records of [length, units…, token count, token lengths…]), since
 * a lookup that chases pointers to strings and arrays costs several cache misses. When the slots are half full
 * or the records fill their array, the memo is emptied and starts again, which bounds its memory.
 */
export const NOT_FOUND = -2;
/** What get() answers for a substring that is one token. */
export const ONE_TOKEN = -1;
/** Longer substrings are not memoised: rare, and mostly unique. */
export const MAX_MEMO_UNITS = 64;
const FRONT_MASK = 4095;

export class SplitMemo {
  private readonly mask: number;
  private readonly slots: Int32Array;
  /** The records; get()'s answer for a multi-token substring is the offset of its token count here. */
  readonly records: Uint16Array;
  private used = 1;
  private entries = 0;
  /**
   * The entries found last, by a few bits of their hash ([hash, record offset] pairs): a table small enough for
   * the CPU's cache, so that the common substrings are found without touching the large one.
   */
  private readonly front = new Int32Array(2 * (FRONT_MASK + 1));

  constructor(slotsLog2 = 16) {
    this.mask = (1 << slotsLog2) - 1;
    this.slots = new Int32Array(2 << slotsLog2);
    this.records = new Uint16Array(12 << slotsLog2);
  }

  /** ONE_TOKEN, the offset in `records` of the token count of u[start, end), or NOT_FOUND. */
  get(u: Uint16Array, start: number, end: number, hash: number): number {
    const spreadHash = spread(hash);
    const front = (spreadHash & FRONT_MASK) << 1;
    if (this.front[front] === hash && this.front[front + 1] !== 0) {
      const found = this.answer(u, start, end, this.front[front + 1]);
      if (found !== NOT_FOUND) return found;
    }
    for (let slot = spreadHash & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = this.slots[2 * slot + 1];
      if (at === 0) return NOT_FOUND;
      if (this.slots[2 * slot] !== hash) continue;
      const found = this.answer(u, start, end, at);
      if (found === NOT_FOUND) continue;
      this.front[front] = hash;
      this.front[front + 1] = at;
      return found;
    }
  }

  /** get()'s answer if the record at `at` is of u[start, end), else NOT_FOUND. */
  private answer(u: Uint16Array, start: number, end: number, at: number): number {
    const length = end - start;
    const r = this.records;
    if (r[at] !== length) return NOT_FOUND;
    for (let i = 0; i < length; i++) if (r[at + 1 + i] !== u[start + i]) return NOT_FOUND;
    return r[at + 1 + length] === 1 ? ONE_TOKEN : at + 1 + length;
  }

  /** Records how u[start, end) (not already recorded, at most MAX_MEMO_UNITS long) splits: its tokens' lengths. */
  set(u: Uint16Array, start: number, end: number, hash: number, lengths: readonly number[]): void {
    const length = end - start;
    const size = 2 + length + lengths.length;
    if (2 * (this.entries + 1) > this.mask + 1 || this.used + size > this.records.length) this.clear();
    let slot = spread(hash) & this.mask;
    while (this.slots[2 * slot + 1] !== 0) slot = (slot + 1) & this.mask;
    const r = this.records;
    const at = this.used;
    r[at] = length;
    for (let i = 0; i < length; i++) r[at + 1 + i] = u[start + i];
    r[at + 1 + length] = lengths.length;
    for (let k = 0; k < lengths.length; k++) r[at + 2 + length + k] = lengths[k];
    this.slots[2 * slot] = hash;
    this.slots[2 * slot + 1] = at;
    this.used += size;
    this.entries++;
  }

  private clear(): void {
    this.slots.fill(0);
    this.front.fill(0);
    this.used = 1;
    this.entries = 0;
  }
}

/** Murmur3's finaliser: FNV-1a's low bits alone cluster similar substrings into runs of neighbouring slots. */
function spread(hash: number): number {
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}

/** FNV-1a's start and step over UTF-16 units: `h = hashStep(h, unit)` for each unit of a substring, from HASH_START. */
export const HASH_START = 0x811c9dc5 | 0;
export function hashStep(hash: number, unit: number): number {
  return Math.imul(hash ^ unit, 0x01000193);
}
