import { fmix32, fnv1a } from '../stages/hash.js';

/**
 * The fast MinHash: each word hashed once (FNV-1a over UTF-16 units), n-gram hashes combined with fmix32, and
 * 128 permutations as xor-seeded fmix32, all in 32-bit integer arithmetic on typed arrays. Seeds come from a
 * fixed PRNG, so every worker and every run computes the same signatures.
 *
 * Shingles: a doc with fewer than n words has one shingle, its whole normalised text (a short doc is still a
 * near-duplicate of its copies); a doc with no words has no signature at all (two empty docs are not
 * near-duplicates of each other).
 */
/** mulberry32: a small, well-mixed PRNG, enough to draw permutation seeds. */
export function permutationSeeds(count: number, seed: number): Uint32Array {
  const out = new Uint32Array(count);
  let a = seed >>> 0;
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (t ^ (t >>> 14)) >>> 0;
  }
  return out;
}

/** Hashes of the word n-grams (or char n-grams of the joined text); see the header for short and empty docs. */
export function shingleHashes(words: string[], n: number, unit: 'word' | 'char' = 'word'): Uint32Array {
  if (words.length === 0) return new Uint32Array(0);
  if (unit === 'char') {
    const text = words.join(' ');
    if (text.length < n) return Uint32Array.of(fnv1a(text));
    const out = new Uint32Array(text.length - n + 1);
    for (let i = 0; i < out.length; i++) out[i] = fmix32(fnv1a(text.slice(i, i + n)));
    return out;
  }
  const wh = new Uint32Array(words.length);
  for (let i = 0; i < words.length; i++) wh[i] = fnv1a(words[i]);
  const count = Math.max(1, words.length - n + 1);
  const width = Math.min(n, words.length);
  const out = new Uint32Array(count);
  for (let s = 0; s < count; s++) {
    let h = 0x9747b28c;
    for (let j = 0; j < width; j++) h = fmix32((Math.imul(h, 31) + wh[s + j]) | 0);
    out[s] = h;
  }
  return out;
}

/** The signature of a shingle set, or undefined when there are no shingles. */
export function signature(shingles: Uint32Array, seeds: Uint32Array, out = new Uint32Array(seeds.length)): Uint32Array | undefined {
  if (shingles.length === 0) return undefined;
  out.fill(0xffffffff);
  const k = seeds.length;
  for (let s = 0; s < shingles.length; s++) {
    const h = shingles[s];
    for (let i = 0; i < k; i++) {
      let x = h ^ seeds[i];
      x ^= x >>> 16;
      x = Math.imul(x, 0x85ebca6b);
      x ^= x >>> 13;
      x = Math.imul(x, 0xc2b2ae35);
      x ^= x >>> 16;
      x >>>= 0;
      if (x < out[i]) out[i] = x;
    }
  }
  return out;
}

export function estimatedJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}
