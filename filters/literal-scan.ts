/**
 * Counts many literal strings over one text: for each, its non-overlapping occurrences taken left to right,
 * which is what Python's re.findall returns for a pattern with no metacharacters (after a match the search
 * resumes at its end). Each literal keeps its own resume point, so literals that overlap each other, or
 * repeat in the list, are counted independently, as separate findall calls would.
 *
 * Candidates come from a rolling hash of the last three UTF-16 units, tested against a small bit set of the
 * literals' first three units; a candidate is then compared unit by unit. Literals shorter than three units
 * are searched with indexOf. Literals hold no surrogates, so a unit-level match is a code-point-level match.
 *
 * The scan reads the text's units from a Uint16Array (utf16.ts), several times faster than charCodeAt.
 */
export class LiteralCounter {
  /** One bit per hash value: some literal starts with three units of that hash. 4 KB, so it stays cached. */
  private readonly bits = new Int32Array(HASHES >> 5);
  /** Per hash: 0, or 1 + the number of the bucket of literals whose first three units have that hash. */
  private readonly bucketOf = new Uint8Array(HASHES);
  /** Bucket b holds literals bucketEntries[bucketStart[b] .. bucketStart[b + 1]). */
  private readonly bucketStart: Int32Array;
  private readonly bucketEntries: Int32Array;
  /** All literals' units back to back; literal e is units[start[e] .. start[e + 1]). */
  private readonly units: Uint16Array;
  private readonly start: Int32Array;
  /** Literals of one or two units: no three-unit hash to find them by. */
  private readonly short: number[] = [];
  /** Per literal, for the current text: where its next occurrence may begin (non-overlap), and its count. */
  private readonly resume: Int32Array;
  readonly counts: Int32Array;

  constructor(readonly literals: readonly string[]) {
    const buckets = new Map<number, number[]>();
    literals.forEach((lit, e) => {
      if (lit.length === 0 || /[\ud800-\udfff]/.test(lit)) throw new Error(`literal must be non-empty, without surrogates: ${JSON.stringify(lit)}`);
      if (lit.length < 3) return this.short.push(e);
      const h = rollHash(rollHash(rollHash(0, lit.charCodeAt(0)), lit.charCodeAt(1)), lit.charCodeAt(2));
      buckets.set(h, [...(buckets.get(h) ?? []), e]);
    });
    if (buckets.size > 255) throw new Error('too many distinct three-unit prefixes for the bucket table');
    this.bucketStart = new Int32Array(buckets.size + 1);
    this.bucketEntries = new Int32Array(literals.length);
    let b = 0;
    let k = 0;
    for (const [h, entries] of buckets) {
      this.bits[h >> 5] |= 1 << (h & 31);
      this.bucketOf[h] = b + 1;
      this.bucketStart[b++] = k;
      for (const e of entries) this.bucketEntries[k++] = e;
    }
    this.bucketStart[b] = k;
    this.start = new Int32Array(literals.length + 1);
    this.units = new Uint16Array(literals.reduce((n, l) => n + l.length, 0));
    let u = 0;
    literals.forEach((lit, e) => {
      this.start[e] = u;
      for (let i = 0; i < lit.length; i++) this.units[u++] = lit.charCodeAt(i);
    });
    this.start[literals.length] = u;
    this.resume = new Int32Array(literals.length);
    this.counts = new Int32Array(literals.length);
  }

  /**
   * Counts every literal in `text`, whose units are the first text.length of `u`; the result is `counts`,
   * indexed like `literals`, valid until the next call.
   */
  count(text: string, u: Uint16Array): Int32Array {
    this.resume.fill(0);
    this.counts.fill(0);
    const n = text.length;
    // Module bindings cost a check on every use in a loop: local copies, and rollHash's step inline.
    const bits = this.bits;
    const mask = HASH_MASK;
    let h = 0;
    let i = 0;
    while (i < n) {
      // No calls in the inner loop, so the checks on `u` and `bits` are not repeated on every unit.
      for (; i < n; i++) {
        h = ((h << 5) ^ u[i]) & mask;
        if ((bits[h >> 5] >>> (h & 31)) & 1) break;
      }
      if (i >= n) break;
      this.candidate(u, n, i - 2, h);
      i++;
    }
    for (const e of this.short) this.counts[e] = countIndexOf(text, this.literals[e]);
    return this.counts;
  }

  /** The hash `h` of the three units from `at` has its bit set: compare the literals filed under it. */
  private candidate(u: Uint16Array, n: number, at: number, h: number): void {
    // Before the third unit the hash mixes in the initial zeros, not text.
    if (at < 0) return;
    const b = this.bucketOf[h] - 1;
    for (let k = this.bucketStart[b]; k < this.bucketStart[b + 1]; k++) {
      const e = this.bucketEntries[k];
      if (at < this.resume[e]) continue;
      const s = this.start[e];
      const len = this.start[e + 1] - s;
      if (at + len > n) continue;
      // Hashes collide: compare every unit, the first three included.
      let j = 0;
      while (j < len && u[at + j] === this.units[s + j]) j++;
      if (j === len) {
        this.counts[e]++;
        this.resume[e] = at + len;
      }
    }
  }
}

function countIndexOf(text: string, lit: string): number {
  let n = 0;
  for (let i = text.indexOf(lit); i !== -1; i = text.indexOf(lit, i + lit.length)) n++;
  return n;
}

/** 15-bit hash values. */
const HASHES = 1 << 15;
const HASH_MASK = HASHES - 1;

/** The next rolling hash: three units later, a unit's bits have all been shifted out, whatever its value. */
function rollHash(h: number, unit: number): number {
  return ((h << 5) ^ unit) & HASH_MASK;
}
