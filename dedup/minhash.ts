import { fmix32, fnv1a } from '../core/hash.js';
import { mulberry32Uint32 } from '../core/prng.js';

/**
 * The fast MinHash, in 32-bit integer arithmetic on typed arrays.
 *
 * Shingles: each word's FNV-1a hash is mixed once with fmix32; an n-gram's hash is fmix32 of the xor of its
 * words' mixed hashes, each rotated by 7 bits per position, so order counts and every shingle hash is well
 * mixed, at one fmix32 per shingle. A doc with fewer than n words has one shingle, its whole word sequence (a short doc is still a
 * near-duplicate of its copies); a doc with no words has no signature at all (two empty docs are not
 * near-duplicates of each other).
 *
 * Permutations: π_k(h) = a_k·h + b_k mod 2^32 with odd a_k, a bijection of the 32-bit space, drawn from a
 * seeded PRNG. On mixed inputs it estimates Jaccard as well as a full mixer per permutation (measured on
 * Reuters pairs: mean absolute error 0.024 vs 0.022, bias +0.001) at a third of the cost.
 */
export interface Permutations {
  a: Int32Array;
  b: Int32Array;
}

/** mulberry32: a small, well-mixed PRNG, enough to draw permutation parameters. */
export function permutationSeeds(count: number, seed: number): Uint32Array {
  const next = mulberry32Uint32(seed);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = next();
  return out;
}

export function permutations(count: number, seed: number): Permutations {
  const draws = permutationSeeds(2 * count, seed);
  const a = new Int32Array(count);
  const b = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    a[i] = draws[2 * i] | 1;
    b[i] = draws[2 * i + 1] | 0;
  }
  return { a, b };
}

let mixed = new Int32Array(4096);

/** Word n-gram hashes from word hashes; see the header for short and empty docs. */
export function wordShingles(wordHashes: Uint32Array, n: number, out?: Uint32Array): Uint32Array {
  const len = wordHashes.length;
  if (len === 0) return new Uint32Array(0);
  const count = Math.max(1, len - n + 1);
  const width = Math.min(n, len);
  const dst = out && out.length >= count ? out.subarray(0, count) : new Uint32Array(count);
  if (mixed.length < len) mixed = new Int32Array(len * 2);
  for (let i = 0; i < len; i++) mixed[i] = fmix32(wordHashes[i]);
  const seed = Math.imul(width, 0x9e3779b9);
  for (let s = 0; s < count; s++) {
    let h = seed;
    for (let j = 0; j < width; j++) {
      const r = (7 * j) & 31;
      const w = mixed[s + j];
      h ^= r === 0 ? w : (w << r) | (w >>> (32 - r));
    }
    dst[s] = fmix32(h);
  }
  return dst;
}

/** Character n-gram hashes of the normalised text (UTF-16 units); a text shorter than n is one shingle. */
export function charShingles(units: Uint16Array, n: number): Uint32Array {
  if (units.length === 0) return new Uint32Array(0);
  const count = Math.max(1, units.length - n + 1);
  const width = Math.min(n, units.length);
  const out = new Uint32Array(count);
  for (let s = 0; s < count; s++) {
    let h = 0x811c9dc5;
    for (let j = 0; j < width; j++) h = Math.imul(h ^ units[s + j], 0x01000193);
    out[s] = fmix32(h);
  }
  return out;
}

/** Hashes of word n-grams given as strings: the reference form the tests compare the fast path with. */
export function shingleHashes(words: string[], n: number): Uint32Array {
  return wordShingles(Uint32Array.from(words, (w) => fnv1a(w)), n);
}

/** The signature of a shingle set, or undefined when there are no shingles. */
export function signature(shingles: Uint32Array, perms: Permutations, out = new Uint32Array(perms.a.length)): Uint32Array | undefined {
  if (shingles.length === 0) return undefined;
  const { a, b } = perms;
  const n = shingles.length;
  // One permutation at a time, the running minimum in a register; values are compared as signed after
  // flipping the top bit, which orders them as unsigned and keeps V8 in int32 arithmetic.
  for (let k = 0; k < a.length; k++) {
    const ak = a[k];
    const bk = b[k];
    let min = 0x7fffffff;
    for (let s = 0; s < n; s++) {
      const x = (Math.imul(shingles[s], ak) + bk) ^ 0x80000000;
      if (x < min) min = x;
    }
    out[k] = min ^ 0x80000000;
  }
  return out;
}

export function estimatedJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}
