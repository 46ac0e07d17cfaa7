import { createHash } from 'node:crypto';
import { charShingles, permutations, wordShingles, type Permutations } from './minhash.js';
import { SimdSigner } from './minhash-simd.js';
import { datasketchSignature } from './minhash-compat.js';
import { normalizeWords, type NormalizeOptions } from './normalize.js';
import type { DedupOptions } from './options.js';
import { normalizedTokens } from './word-hashes.js';

/**
 * What dedup keeps of one doc: a 128-bit hash of its normalised text for exact dedup, and its MinHash
 * signature. A doc whose normalised text is empty has neither: it is never a duplicate of anything.
 */
export interface DocKeys {
  exact?: Uint32Array;
  signature?: Uint32Array;
}

export type DocHasher = (text: string) => DocKeys;

export function docHasher(o: DedupOptions): DocHasher {
  const norm: NormalizeOptions = { preset: o.normalize, stripAccents: o.strip_accents, digitsToZero: o.digits_to_zero };
  const perms: Permutations = permutations(o.num_perm, o.seed);
  const simd = new SimdSigner(perms);
  const shingleBuf = new Uint32Array(1 << 16);
  return (text) => {
    const { words, units } = normalizedTokens(text, norm);
    if (units.length === 0) return {};
    const keys: DocKeys = {};
    if (o.exact) {
      const d = createHash('md5').update(new Uint8Array(units.buffer, units.byteOffset, units.byteLength)).digest();
      keys.exact = new Uint32Array([d.readUInt32LE(0), d.readUInt32LE(4), d.readUInt32LE(8), d.readUInt32LE(12)]);
    }
    if (o.minhash) {
      if (o.compat === 'datasketch') keys.signature = datasketchSignature(stringShingles(normalizeWords(text, norm), o.ngram), o.num_perm);
      else {
        const shingles = o.char_ngram ? charShingles(units, o.char_ngram) : wordShingles(words, o.ngram, shingleBuf);
        keys.signature = simd.signature(shingles, new Uint32Array(o.num_perm));
      }
    }
    return keys;
  };
}

/**
 * Zyda's shingles: n consecutive words joined by one space. Unlike Zyda, a doc with fewer than n words has one
 * shingle (its whole text) rather than none, so short docs are not all merged into one giant cluster
 * (zyda-spec §6); docs of n words or more get Zyda's signatures bit for bit.
 */
export function stringShingles(words: string[], n: number): string[] {
  if (words.length < n) return [words.join(' ')];
  return Array.from({ length: words.length - n + 1 }, (_, i) => words.slice(i, i + n).join(' '));
}
