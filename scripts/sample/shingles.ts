// Word 5-gram Jaccard, used to screen accidental overlap and to grade near duplicates.

const SHINGLE_SIZE = 5;

function words(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Shingles are kept as 53-bit hashes rather than strings: set and map lookups
 * on numbers are several times faster, and with a few hundred thousand
 * shingles a collision is vanishingly unlikely, so the Jaccard values are exact
 * in practice.
 */
export type Shingles = Set<number>;

function shingleHash(parts: readonly string[]): number {
  let x = 0x811c9dc5;
  let y = 0x9e3779b9;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      x = Math.imul(x ^ c, 0x01000193);
      y = Math.imul(y ^ c, 0x5bd1e995);
      y ^= y >>> 15;
    }
    // A separator, so ("ab", "c") and ("a", "bc") differ.
    x = Math.imul(x ^ 0x20, 0x01000193);
    y = Math.imul(y ^ 0x20, 0x5bd1e995);
  }
  return (x >>> 0) * 0x200000 + ((y >>> 0) & 0x1fffff);
}

export function shingles(text: string): Shingles {
  const w = words(text);
  const out: Shingles = new Set();
  if (w.length < SHINGLE_SIZE) {
    if (w.length > 0) out.add(shingleHash(w));
    return out;
  }
  for (let i = 0; i + SHINGLE_SIZE <= w.length; i++) out.add(shingleHash(w.slice(i, i + SHINGLE_SIZE)));
  return out;
}

/** The checks over the finished corpus shingle each document more than once; compute it once. */
export class ShingleCache {
  private readonly cache = new Map<string, Shingles>();

  of(text: string): Shingles {
    let sh = this.cache.get(text);
    if (!sh) {
      sh = shingles(text);
      this.cache.set(text, sh);
    }
    return sh;
  }
}

export function jaccard(a: Shingles, b: Shingles): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const s of a) if (b.has(s)) shared++;
  return shared / (a.size + b.size - shared);
}

export function wordCount(text: string): number {
  return words(text).length;
}

/** Inverted index from shingle to doc numbers; finds overlapping docs without comparing every pair. */
export class OverlapIndex {
  // Most shingles occur in one doc only, so a bare doc number is stored until a second doc shows up.
  private readonly postings = new Map<number, number | number[]>();
  private readonly sizes: number[] = [];

  add(sh: Shingles): number {
    const id = this.sizes.length;
    this.sizes.push(sh.size);
    for (const s of sh) {
      const docs = this.postings.get(s);
      if (docs === undefined) this.postings.set(s, id);
      else if (typeof docs === 'number') this.postings.set(s, [docs, id]);
      else docs.push(id);
    }
    return id;
  }

  /** Jaccard against every indexed doc that shares at least one shingle. */
  overlaps(sh: Shingles): Map<number, number> {
    const shared = new Uint32Array(this.sizes.length);
    const touched: number[] = [];
    const count = (id: number): void => {
      if (shared[id]++ === 0) touched.push(id);
    };
    for (const s of sh) {
      const docs = this.postings.get(s);
      if (typeof docs === 'number') count(docs);
      else if (docs !== undefined) docs.forEach(count);
    }
    const out = new Map<number, number>();
    for (const id of touched) {
      const n = shared[id] ?? 0;
      out.set(id, n / (sh.size + (this.sizes[id] ?? 0) - n));
    }
    return out;
  }

  maxOverlap(sh: Shingles): number {
    let best = 0;
    for (const j of this.overlaps(sh).values()) best = Math.max(best, j);
    return best;
  }
}
