import crypto from 'node:crypto';
import { charShingles, permutations, type Permutations } from './minhash.js';
import { Kernels } from './kernels.js';
import { datasketchSignature } from './minhash-compat.js';
import { normalizeWords, type NormalizeOptions } from './normalize.js';
import { unitsOf } from '../core/utf16.js';
import type { DedupOptions } from './options.js';

/**
 * What dedup keeps of one doc: a 128-bit hash of its normalised text for exact dedup, and its MinHash
 * signature. A doc whose normalised text is empty has neither: it is never a duplicate of anything.
 */
export interface DocKeys {
  exact?: Uint32Array;
  signature?: Uint32Array;
}

/** The keys of one doc; the signature is a buffer the next call reuses, so read it before then. */
export type DocHasher = (text: string) => DocKeys;

/**
 * The exact key is SHA-256 cut to 128 bits: with SHA extensions it is twice as fast as MD5 here. The one-shot
 * crypto.hash (Node 20.12+) saves a Hash object per doc.
 */
const sha256: (data: Uint8Array) => Buffer = crypto.hash
  ? (data) => crypto.hash('sha256', data, 'buffer') as unknown as Buffer
  : (data) => crypto.createHash('sha256').update(data).digest();

function exactKey(units: Uint16Array): Uint32Array {
  const d = sha256(new Uint8Array(units.buffer, units.byteOffset, units.byteLength));
  return new Uint32Array([d.readUInt32LE(0), d.readUInt32LE(4), d.readUInt32LE(8), d.readUInt32LE(12)]);
}

export function docHasher(o: DedupOptions): DocHasher {
  const perms: Permutations = permutations(o.num_perm, o.seed);
  const kernels = new Kernels(perms);
  if (o.normalize === 'none') return rawTextHasher(o, kernels);
  const norm: NormalizeOptions = { preset: o.normalize, stripAccents: o.strip_accents, digitsToZero: o.digits_to_zero };
  // The default case, word shingles without an exact key, stays inside the wasm module from text to signature.
  const wordsOnly = o.minhash && !o.exact && o.compat !== 'datasketch' && !o.char_ngram;
  const sig = new Uint32Array(o.num_perm);
  return (text) => {
    if (wordsOnly) return kernels.wordSignature(text, norm, o.ngram, sig) === 0 ? {} : { signature: sig };
    const { words, units } = kernels.tokens(text, norm);
    if (units.length === 0) return {};
    const keys: DocKeys = {};
    if (o.exact) keys.exact = exactKey(units);
    if (o.minhash) {
      if (o.compat === 'datasketch') keys.signature = datasketchSignature(stringShingles(normalizeWords(text, norm), o.ngram), o.num_perm);
      else {
        const shingles = o.char_ngram ? charShingles(units, o.char_ngram) : kernels.shingles(words, o.ngram);
        keys.signature = kernels.signature(shingles, sig);
      }
    }
    return keys;
  };
}

/** Keys of the text as it is: its UTF-16 units, in character shingles (the options require char_ngram). */
function rawTextHasher(o: DedupOptions, kernels: Kernels): DocHasher {
  const sig = new Uint32Array(o.num_perm);
  return (text) => {
    if (text.length === 0) return {};
    const units = unitsOf(text).subarray(0, text.length);
    const keys: DocKeys = {};
    if (o.exact) keys.exact = exactKey(units);
    if (o.minhash) keys.signature = kernels.signature(charShingles(units, o.char_ngram!), sig);
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
