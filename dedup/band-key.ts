/**
 * A band's key: its `rows` signature values hashed to 64 bits (two words). Band records carry the key instead
 * of the values, so a record is 3 words whatever the rows, and sorting, writing and merging them moves a
 * fifth of the bytes at 13 rows. Equal bands always get equal keys; two different bands share one with
 * probability about 2^-64, so at a billion docs a band expects well under one false candidate.
 *
 * The high word is MurmurHash3_x86_32's block step over the values, the low word the same shape with other
 * constants; each is finished with fmix32.
 */
import { fmix32 } from '../core/hash.js';

const SEED_HI = 0x3c6ef372;
const SEED_LO = 0xa54ff53a;

export function bandKey(sig: Uint32Array, at: number, rows: number, out: Uint32Array, to: number): void {
  let hi = SEED_HI;
  let lo = SEED_LO;
  for (let i = at, end = at + rows; i < end; i++) {
    const v = sig[i];
    let k = Math.imul(v, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    hi ^= k;
    hi = (Math.imul((hi << 13) | (hi >>> 19), 5) + 0xe6546b64) | 0;
    // The low word mixes each value with other constants and rotations, so no difference between two bands
    // cancels in both lanes at once.
    let m = Math.imul(v, 0x85ebca6b);
    m = Math.imul((m << 17) | (m >>> 15), 0xc2b2ae35);
    lo ^= m;
    lo = (Math.imul((lo << 11) | (lo >>> 21), 9) + 0x52dce729) | 0;
  }
  out[to] = fmix32(hi ^ (rows << 2));
  out[to + 1] = fmix32(lo ^ (rows << 2));
}

/** Words in a band record: the key, then the row. */
export const BAND_RECORD_WIDTH = 3;
