/**
 * Counts many literal strings over one text: for each, its non-overlapping occurrences taken left to right,
 * which is what Python's re.findall returns for a pattern with no metacharacters (after a match the search
 * resumes at its end). Each literal keeps its own resume point, so literals that overlap each other, or
 * repeat in the list, are counted independently, as separate findall calls would. Each literal belongs to a
 * group, and the counts come out summed by group.
 *
 * Candidates come from a rolling hash of the last four UTF-16 units, tested against a bit set of the
 * literals' first four units; a candidate is then compared unit by unit. On English text about three
 * positions in a document are candidates (with three units it would be fifty: " an", " co", …). Literals
 * shorter than four units are searched with indexOf. Literals hold no surrogates, so a unit-level match is a
 * code-point-level match.
 *
 * The counter does not walk the text itself: the walk that counts characters (zyda-scan.ts) rolls the hash
 * (rollHash, inlined there) and calls `candidate` where `bits` has the hash's bit, between `begin` and `end`.
 */
export interface Literal {
  text: string;
  group: number;
}

/** Units in the hash: a literal needs at least as many to be found by it. */
const PREFIX = 4;
/** 16-bit hash values, 4 bits shifted per unit: after PREFIX more units, a unit has been shifted out. */
const HASHES = 1 << 16;
export const HASH_SHIFT = 4;
export const HASH_MASK = HASHES - 1;

/** The hash of the last PREFIX units, after one more unit. */
export function rollHash(h: number, unit: number): number {
  return ((h << HASH_SHIFT) ^ unit) & HASH_MASK;
}

export class LiteralCounter {
  /** One bit per hash value: some literal starts with four units of that hash. 8 KB, so it stays cached. */
  readonly bits = new Int32Array(HASHES >> 5);
  /** Per hash: 0, or 1 + the number of the bucket of literals whose first four units have that hash. */
  private readonly bucketOf = new Uint8Array(HASHES);
  /** Bucket b holds literals bucketEntries[bucketStart[b] .. bucketStart[b + 1]). */
  private readonly bucketStart: Int32Array;
  private readonly bucketEntries: Int32Array;
  /** All literals' units back to back; literal e is units[start[e] .. start[e + 1]). */
  private readonly units: Uint16Array;
  private readonly start: Int32Array;
  private readonly groupOf: Int32Array;
  /** Literals too short for the hash. */
  private readonly short: number[] = [];
  /** Per literal, for the current text: where its next occurrence may begin (non-overlap). */
  private readonly resume: Int32Array;
  /** Per group, for the current text. */
  readonly sums: Int32Array;

  constructor(private readonly literals: readonly Literal[]) {
    const buckets = new Map<number, number[]>();
    literals.forEach(({ text }, e) => {
      if (text.length === 0 || /[\ud800-\udfff]/.test(text)) throw new Error(`literal must be non-empty, without surrogates: ${JSON.stringify(text)}`);
      if (text.length < PREFIX) return this.short.push(e);
      let h = 0;
      for (let i = 0; i < PREFIX; i++) h = rollHash(h, text.charCodeAt(i));
      buckets.set(h, [...(buckets.get(h) ?? []), e]);
    });
    if (buckets.size > 255) throw new Error('too many distinct literal prefixes for the bucket table');
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
    this.units = new Uint16Array(literals.reduce((n, l) => n + l.text.length, 0));
    let u = 0;
    literals.forEach(({ text }, e) => {
      this.start[e] = u;
      for (let i = 0; i < text.length; i++) this.units[u++] = text.charCodeAt(i);
    });
    this.start[literals.length] = u;
    this.groupOf = Int32Array.from(literals, (l) => l.group);
    this.resume = new Int32Array(literals.length);
    this.sums = new Int32Array(Math.max(0, ...literals.map((l) => l.group)) + 1);
  }

  /** Starts a text. */
  begin(): void {
    this.resume.fill(0);
    this.sums.fill(0);
  }

  /**
   * The hash `h` of the units up to `last` (of `u`, whose first `n` are the text's) has its bit in `bits`:
   * compare the literals filed under it. Calls come in order of `last`.
   */
  candidate(u: Uint16Array, n: number, last: number, h: number): void {
    const at = last - (PREFIX - 1);
    // Before the PREFIXth unit the hash mixes in the initial zeros, not text.
    if (at < 0) return;
    const b = this.bucketOf[h] - 1;
    for (let k = this.bucketStart[b]; k < this.bucketStart[b + 1]; k++) {
      const e = this.bucketEntries[k];
      if (at < this.resume[e]) continue;
      const s = this.start[e];
      const len = this.start[e + 1] - s;
      if (at + len > n) continue;
      // Hashes collide: compare every unit, the first four included.
      let j = 0;
      while (j < len && u[at + j] === this.units[s + j]) j++;
      if (j === len) {
        this.sums[this.groupOf[e]]++;
        this.resume[e] = at + len;
      }
    }
  }

  /** Finishes the text: `sums` then holds its counts per group, until the next begin. */
  end(text: string): void {
    for (const e of this.short) this.sums[this.groupOf[e]] += countIndexOf(text, this.literals[e].text);
  }
}

function countIndexOf(text: string, lit: string): number {
  let n = 0;
  for (let i = text.indexOf(lit); i !== -1; i = text.indexOf(lit, i + lit.length)) n++;
  return n;
}
