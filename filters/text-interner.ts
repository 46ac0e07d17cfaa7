/**
 * Exact interning without building strings: equal keys get one dense id, 0, 1, 2, … in order of first sight.
 * A hash only picks where to look; every candidate is compared key for key, so a hash collision can never
 * merge two different keys. Open addressing with linear probing in a table at most half full, sized per use
 * from the most keys the caller can add, so it never grows while in use.
 */
function tableSize(maxKeys: number): number {
  let size = 16;
  while (size < maxKeys * 2) size *= 2;
  return size;
}

/**
 * Whether an array of `has` entries should be replaced to hold `needs`: when too small, or when a huge
 * document left it far bigger than the next needs (it would stay allocated for as long as the filter lives).
 */
export function reallocate(has: number, needs: number): boolean {
  return has < needs || (has > 1 << 20 && has > needs * 8);
}

/** Slots hold id + 1 (0 = empty). The backing array is kept between uses; only the part in use is cleared. */
class Slots {
  private table = new Int32Array(16);
  mask = 15;

  reset(maxKeys: number): Int32Array {
    const size = tableSize(maxKeys);
    if (reallocate(this.table.length, size)) this.table = new Int32Array(size);
    else this.table.fill(0, 0, size);
    this.mask = size - 1;
    return this.table;
  }
}

/** Ranges of one text's UTF-16 units, equal when their units are. */
export class RangeInterner {
  private slots = new Slots();
  private table: Int32Array = new Int32Array(0);
  private units: Uint16Array = new Uint16Array(0);
  private starts = new Int32Array(16);
  private ends = new Int32Array(16);
  private hashes = new Int32Array(16);
  private limit = 0;
  size = 0;

  /** Starts over on a text's units, ready for up to `maxKeys` ranges. */
  reset(units: Uint16Array, maxKeys: number): void {
    this.units = units;
    this.table = this.slots.reset(maxKeys);
    if (reallocate(this.starts.length, maxKeys)) {
      this.starts = new Int32Array(maxKeys);
      this.ends = new Int32Array(maxKeys);
      this.hashes = new Int32Array(maxKeys);
    }
    this.limit = maxKeys;
    this.size = 0;
  }

  /**
   * The id of units[start, end): the id of an equal range seen before, or the next new id. `hash` must be equal
   * for equal ranges (the layout's word and span hashes are); it need not differ for different ones.
   */
  intern(start: number, end: number, hash: number): number {
    const len = end - start;
    let h = hash ^ Math.imul(len, 0x9e3779b1);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    const { table, starts, ends, hashes, units } = this;
    const mask = this.slots.mask;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const slot = table[s];
      if (slot === 0) {
        if (this.size >= this.limit) throw new Error('RangeInterner: more keys than reset() allowed for');
        const id = this.size++;
        table[s] = id + 1;
        starts[id] = start;
        ends[id] = end;
        hashes[id] = h;
        return id;
      }
      const id = slot - 1;
      if (hashes[id] === h && ends[id] - starts[id] === len && sameUnits(units, starts[id], start, len)) return id;
    }
  }
}

function sameUnits(units: Uint16Array, a: number, b: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (units[a + k] !== units[b + k]) return false;
  return true;
}

/** Pairs of non-negative int32s, equal when both members are. */
export class PairInterner {
  private slots = new Slots();
  private table: Int32Array = new Int32Array(0);
  private firsts = new Int32Array(16);
  private seconds = new Int32Array(16);
  private limit = 0;
  size = 0;

  reset(maxKeys: number): void {
    this.table = this.slots.reset(maxKeys);
    if (reallocate(this.firsts.length, maxKeys)) {
      this.firsts = new Int32Array(maxKeys);
      this.seconds = new Int32Array(maxKeys);
    }
    this.limit = maxKeys;
    this.size = 0;
  }

  intern(a: number, b: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d);
    h ^= h >>> 15;
    const { table, firsts, seconds } = this;
    const mask = this.slots.mask;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const slot = table[s];
      if (slot === 0) {
        if (this.size >= this.limit) throw new Error('PairInterner: more keys than reset() allowed for');
        const id = this.size++;
        table[s] = id + 1;
        firsts[id] = a;
        seconds[id] = b;
        return id;
      }
      const id = slot - 1;
      if (firsts[id] === a && seconds[id] === b) return id;
    }
  }
}
