import { createHash } from 'node:crypto';
import { DATASKETCH_SEED1_PERMUTATIONS } from './datasketch-permutations.js';

/**
 * `compat: datasketch`: Zyda's MinHash bit for bit (zyda-spec §6). Each shingle hashes to the first 4 bytes of
 * its SHA-1, little-endian; permutation k maps h to ((h·a_k mod 2^64) + b_k) mod 2^64, then mod 2^61 − 1, then
 * keeps the low 32 bits. The uint64 wrap-arounds are numpy's and change the values, so BigInt does the sums.
 * Exactness is the point here, not speed; the default MinHash (minhash.ts) is the fast one.
 */
const MASK64 = (1n << 64n) - 1n;
const MERSENNE61 = (1n << 61n) - 1n;
const MAX32 = 0xffffffffn;

export function sha1Hash32(shingle: string): number {
  return createHash('sha1').update(shingle, 'utf8').digest().readUInt32LE(0);
}

export function datasketchSignature(shingles: Iterable<string>, numPerm = 128): Uint32Array {
  if (numPerm > DATASKETCH_SEED1_PERMUTATIONS.length) throw new Error(`datasketch compat has ${DATASKETCH_SEED1_PERMUTATIONS.length} permutations, not ${numPerm}`);
  const sig = new Uint32Array(numPerm).fill(0xffffffff);
  for (const s of shingles) {
    const h = BigInt(sha1Hash32(s));
    for (let k = 0; k < numPerm; k++) {
      const [a, b] = DATASKETCH_SEED1_PERMUTATIONS[k];
      const v = Number(((((h * a) & MASK64) + b) & MASK64) % MERSENNE61 & MAX32);
      if (v < sig[k]) sig[k] = v;
    }
  }
  return sig;
}

/** Zyda's band key: the band's values as 8-byte big-endian integers, concatenated. */
export function datasketchBandKey(sig: Uint32Array, band: number, rows: number): Buffer {
  const out = Buffer.alloc(8 * rows);
  for (let r = 0; r < rows; r++) out.writeBigUInt64BE(BigInt(sig[band * rows + r]), 8 * r);
  return out;
}
