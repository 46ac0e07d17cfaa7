import crypto from 'node:crypto';
import { DATASKETCH_SEED1_PERMUTATIONS } from './datasketch-permutations.js';

/**
 * `compat: datasketch`: Zyda's MinHash bit for bit (zyda-spec §6). Each shingle hashes to the first 4 bytes of
 * its SHA-1, little-endian; permutation k maps h to ((h·a_k mod 2^64) + b_k) mod 2^64, then mod 2^61 − 1, then
 * keeps the low 32 bits. The uint64 wrap-arounds are numpy's and change the values. The sums are done exactly
 * on 32-bit halves held in doubles (BigInt would be tens of times slower); a test holds them to BigInt's.
 */
const TWO16 = 0x10000;
const INV16 = 1 / 0x10000;
const INV32 = 1 / 0x100000000;
/** 2^61 − 1 as its high and low 32-bit halves. */
const P_HI = 0x1fffffff;
const P_LO = 0xffffffff;

/** The one-shot crypto.hash (Node 20.12+) halves the cost of a Hash object per shingle. */
const sha1: (s: string) => Buffer = crypto.hash
  ? (s) => crypto.hash('sha1', s, 'buffer') as unknown as Buffer
  : (s) => crypto.createHash('sha1').update(s, 'utf8').digest();

export function sha1Hash32(shingle: string): number {
  return sha1(shingle).readUInt32LE(0);
}

/** The permutations as 32-bit halves: a's low half split again in 16-bit halves, so h·a_lo stays exact. */
interface Halves {
  aHi: Uint32Array;
  aLoHi: Uint32Array;
  aLoLo: Uint32Array;
  bHi: Uint32Array;
  bLo: Uint32Array;
}

let halves: Halves | undefined;
function permutationHalves(): Halves {
  if (halves) return halves;
  const n = DATASKETCH_SEED1_PERMUTATIONS.length;
  const h: Halves = { aHi: new Uint32Array(n), aLoHi: new Uint32Array(n), aLoLo: new Uint32Array(n), bHi: new Uint32Array(n), bLo: new Uint32Array(n) };
  DATASKETCH_SEED1_PERMUTATIONS.forEach(([a, b], k) => {
    h.aHi[k] = Number(a >> 32n);
    h.aLoHi[k] = Number((a >> 16n) & 0xffffn);
    h.aLoLo[k] = Number(a & 0xffffn);
    h.bHi[k] = Number(b >> 32n);
    h.bLo[k] = Number(b & 0xffffffffn);
  });
  return (halves = h);
}

/** Permutation k of the 32-bit hash h: (((h·a_k mod 2^64) + b_k) mod 2^64) mod (2^61 − 1), low 32 bits. */
export function datasketchPermute(h: number, k: number): number {
  const p = permutationHalves();
  return permute(h, p.aHi[k]!, p.aLoHi[k]!, p.aLoLo[k]!, p.bHi[k]!, p.bLo[k]!);
}

/** The same map for any a < 2^61 and b < 2^64, for tests of the edges. */
export function datasketchPermuteWith(h: number, a: bigint, b: bigint): number {
  return permute(h, Number(a >> 32n), Number((a >> 16n) & 0xffffn), Number(a & 0xffffn), Number(b >> 32n), Number(b & 0xffffffffn));
}

function permute(h: number, aHi: number, aLoHi: number, aLoLo: number, bHi: number, bLo: number): number {
  // h·a mod 2^64 = h·a_lo + (h·a_hi mod 2^32)·2^32; h·a_lo from two products of under 2^48, exact in doubles.
  // `x >>> 0` and `x & m` take an integral double mod 2^32 exactly, and cost far less than `%`.
  const low = h * aLoLo;
  const mid = h * aLoHi;
  const midLow = mid & 0xffff;
  const sumLo = low + midLow * TWO16;
  const lo = sumLo >>> 0;
  const hi = (mid - midLow) * INV16 + (sumLo - lo) * INV32 + (Math.imul(h, aHi) >>> 0);
  // + b mod 2^64.
  const sumB = lo + bLo;
  const xLo = sumB >>> 0;
  const xHi = (hi + bHi + (sumB - xLo) * INV32) >>> 0;
  // mod 2^61 − 1: x = q·2^61 + r with 2^61 ≡ 1, so x ≡ q + r, under 2·(2^61 − 1); one subtraction at most.
  const sum = xLo + (xHi >>> 29);
  const sLo = sum >>> 0;
  const sHi = (xHi & P_HI) + (sum - sLo) * INV32;
  // s − (2^61 − 1) has low 32 bits s_lo + 1, as 2^61 − 1 ≡ −1 mod 2^32.
  if (sHi > P_HI || (sHi === P_HI && sLo === P_LO)) return (sLo + 1) >>> 0;
  return sLo;
}

export function datasketchSignature(shingles: Iterable<string>, numPerm = 128): Uint32Array {
  if (numPerm > DATASKETCH_SEED1_PERMUTATIONS.length) throw new Error(`datasketch compat has ${DATASKETCH_SEED1_PERMUTATIONS.length} permutations, not ${numPerm}`);
  const { aHi, aLoHi, aLoLo, bHi, bLo } = permutationHalves();
  const sig = new Uint32Array(numPerm).fill(0xffffffff);
  for (const s of shingles) {
    const h = sha1Hash32(s);
    for (let k = 0; k < numPerm; k++) {
      const v = permute(h, aHi[k]!, aLoHi[k]!, aLoLo[k]!, bHi[k]!, bLo[k]!);
      if (v < sig[k]!) sig[k] = v;
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
