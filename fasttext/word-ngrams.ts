/**
 * fastText's word n-gram buckets. For each word position i and each n-gram of 2..wordNgrams words starting
 * there, h = h * 116049371 + hash(next word) in unsigned 64-bit arithmetic, starting from hash(word i); each
 * 32-bit word hash enters sign-extended to 64 bits, and the bucket is h mod bucket. WebAssembly has 64-bit
 * integers (word-ngrams.wat); where it is missing, the value is carried as two uint32 halves in doubles, so
 * the loop needs no BigInt.
 */
import { WORD_NGRAMS_WASM } from './word-ngrams-wasm.js';

// The project's lib has no WebAssembly types (no DOM lib); these are the parts used here.
declare const WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object) => { exports: unknown } };
interface Exports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  buckets(count: number, wordNgrams: number, bucket: number, out: number): number;
}

const MULTIPLIER = 116049371;
const TWO32 = 4294967296;

/**
 * Writes the bucket of each word n-gram of `hashes[0, count)` (fastText word hashes as int32) to `out`, in
 * fastText's order: by start position, shorter n-grams first; returns how many. `out` needs room for
 * count * (wordNgrams - 1).
 */
export function wordNgramBuckets(hashes: Int32Array, count: number, wordNgrams: number, bucket: number, out: Int32Array): number {
  const wasm = wasmExports();
  if (wasm === null) return wordNgramBucketsInJs(hashes, count, wordNgrams, bucket, out);
  const outAt = count * 4;
  const bytes = outAt + count * (wordNgrams - 1) * 4;
  const have = wasm.memory.buffer.byteLength;
  if (bytes > have) wasm.memory.grow(Math.ceil((bytes - have) / 65536));
  // Growing replaces the memory's buffer; until then one view serves every line.
  if (memView?.buffer !== wasm.memory.buffer) memView = new Int32Array(wasm.memory.buffer);
  const mem = memView;
  mem.set(hashes.subarray(0, count));
  const n = wasm.buckets(count, wordNgrams, bucket, outAt);
  out.set(mem.subarray(count, count + n));
  return n;
}

let instance: Exports | null | undefined;
let memView: Int32Array | undefined;

/** The module's exports (one instance per thread), or null where this runtime cannot run it. */
function wasmExports(): Exports | null {
  if (instance === undefined) {
    try {
      instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(WORD_NGRAMS_WASM, 'base64'))).exports as Exports;
    } catch {
      instance = null;
    }
  }
  return instance;
}

/** wordNgramBuckets in plain JS arithmetic. */
export function wordNgramBucketsInJs(hashes: Int32Array, count: number, wordNgrams: number, bucket: number, out: Int32Array): number {
  let n = 0;
  for (let i = 0; i < count; i++) {
    const v = hashes[i];
    let hi = v < 0 ? 0xffffffff : 0;
    let lo = v >>> 0;
    for (let j = i + 1; j < count && j < i + wordNgrams; j++) {
      // (hi, lo) * MULTIPLIER: lo's 16-bit halves times the 27-bit multiplier stay exact in a double.
      // Divisions by powers of two are exact, and floor-and-subtract keeps V8 off its slow double `%`.
      const t = (lo & 0xffff) * MULTIPLIER;
      const u = (lo >>> 16) * MULTIPLIER;
      const uHigh = Math.floor(u / 65536);
      const low = t + (u - uHigh * 65536) * 65536;
      const lowHigh = Math.floor(low / TWO32);
      hi = (Math.imul(hi, MULTIPLIER) + lowHigh + uHigh) >>> 0;
      lo = low - lowHigh * TWO32;
      // + the next hash, sign-extended
      const w = hashes[j];
      lo += w >>> 0;
      if (lo >= TWO32) {
        lo -= TWO32;
        hi = (hi + 1) >>> 0;
      }
      if (w < 0) hi = (hi + 0xffffffff) >>> 0;
      out[n++] = mod64(hi, lo, bucket);
    }
  }
  return n;
}

/** (hi * 2^32 + lo) mod m for m < 2^31: two reductions of values below 2^48, each exact in a double. */
function mod64(hi: number, lo: number, m: number): number {
  const r = modExact(hi * 65536, m);
  return modExact(r * 65536 + lo, m);
}

/**
 * x mod m for integers 0 <= x < 2^53 by a floating division (V8's % on numbers past int32 calls fmod, which
 * is slower): the quotient's floor can be one off when x / m rounds across an integer, so the rest is fixed.
 */
function modExact(x: number, m: number): number {
  const r = x - Math.floor(x / m) * m;
  return r < 0 ? r + m : r >= m ? r - m : r;
}
