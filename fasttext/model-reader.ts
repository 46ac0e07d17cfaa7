/**
 * Reads a fastText binary model (.bin or quantized .ftz, format version 12) into plain typed arrays.
 * Only what prediction needs is kept; the layout is fastText's save order, all little-endian:
 *   magic, version, args, dictionary (entries, then the pruned-bucket map), input matrix, output matrix.
 * The decoded matrices can live in SharedArrayBuffers, so that worker threads share one copy by structured
 * clone; everything else is small.
 */

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { modelMemory, type WasmMemory } from './wasm-row-sum.js';
import { prunedBuckets, type PrunedBuckets } from './pruned-buckets.js';

const MAGIC = 793712314;
const VERSION = 12;
/** A product quantizer splits a row into sub-vectors, each coded by one byte: 256 centroids per sub-vector. */
const KSUB = 256;

/** fastText's loss codes. Negative sampling predicts as one-vs-all does: a sigmoid per label. */
export const LOSS_HS = 1;
export const LOSS_NS = 2;
export const LOSS_SOFTMAX = 3;
export const LOSS_OVA = 4;
const MODEL_NAMES: Record<number, string> = { 1: 'cbow', 2: 'skipgram', 3: 'supervised' };
const MODEL_SUPERVISED = 3;

export interface ReadOptions {
  /** Decode the input and output matrices into SharedArrayBuffers (to hand one copy to worker threads). */
  shared?: boolean;
}

export interface FtzArgs {
  dim: number;
  wordNgrams: number;
  loss: number;
  model: number;
  bucket: number;
  minn: number;
  maxn: number;
}

export interface FtzEntry {
  /** The entry's bytes as a latin1 string (one char per byte), so any byte sequence is a usable Map key. */
  bytes: string;
  count: number;
  isLabel: boolean;
}

export interface FtzModel {
  args: FtzArgs;
  nwords: number;
  /** Words first, then labels, in file order (fastText sorts each by count, most frequent first). */
  entries: FtzEntry[];
  /** The char n-gram buckets pruning kept, with their rows; undefined when the model was not pruned (every bucket has a row). */
  pruned: PrunedBuckets | undefined;
  /** The input matrix decoded to floats, `dim` per row: words' rows, then n-gram buckets' rows. */
  input: Float32Array;
  inputRows: number;
  /** The output matrix, `dim` floats per row (for hierarchical softmax: one row per inner tree node). */
  output: Float32Array;
  outputRows: number;
  /**
   * A quantized output matrix with quantized norms: each row's dot product is multiplied by its norm, as
   * fastText scales the product with the row's codes (so the norms are not folded into `output`).
   */
  outputNorms: Float32Array | undefined;
  /** The WebAssembly memory the input matrix is a view of, when it is one (a dense matrix read by loadFastTextModel). */
  memory?: WasmMemory;
}

function floats(n: number, shared: boolean): Float32Array {
  return shared ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

class Cursor {
  private at = 0;
  private readonly view: DataView;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  private need(n: number): number {
    if (this.at + n > this.buf.length) throw new Error(`truncated: needs ${this.at + n} bytes, the file has ${this.buf.length}`);
    const at = this.at;
    this.at += n;
    return at;
  }
  i32(): number {
    return this.view.getInt32(this.need(4), true);
  }
  i64(): number {
    const v = this.view.getBigInt64(this.need(8), true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`64-bit field at byte ${this.at - 8} out of range`);
    return Number(v);
  }
  f64(): number {
    return this.view.getFloat64(this.need(8), true);
  }
  u8(): number {
    return this.buf[this.need(1)];
  }
  bytes(n: number): Uint8Array {
    const at = this.need(n);
    return this.buf.subarray(at, at + n);
  }
  /**
   * n floats. Where the bytes are 4-aligned in memory of the kind asked for (shared or not), on a
   * little-endian host, the array is a view of them rather than a copy: the loader lines the input matrix
   * up so, and a model's largest part then costs no second copy.
   */
  f32s(n: number, shared = false): Float32Array {
    const at = this.need(n * 4);
    const offset = this.buf.byteOffset + at;
    if (LITTLE_ENDIAN && offset % 4 === 0 && this.buf.buffer instanceof SharedArrayBuffer === shared) return new Float32Array(this.buf.buffer, offset, n);
    const out = floats(n, shared);
    // The file is little-endian: on a little-endian host its bytes are the array's bytes.
    if (LITTLE_ENDIAN) new Uint8Array(out.buffer, out.byteOffset, n * 4).set(this.buf.subarray(at, at + n * 4));
    else for (let i = 0; i < n; i++) out[i] = this.view.getFloat32(at + i * 4, true);
    return out;
  }
  /** A NUL-terminated string, as latin1 (bytes kept as they are). */
  cstring(): string {
    const end = this.buf.indexOf(0, this.at);
    if (end < 0) throw new Error('truncated: a dictionary entry has no end');
    const s = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.at, end - this.at).toString('latin1');
    this.at = end + 1;
    return s;
  }
  skipCstring(): void {
    const end = this.buf.indexOf(0, this.at);
    if (end < 0) throw new Error('truncated: a dictionary entry has no end');
    this.at = end + 1;
  }
  get offset(): number {
    return this.at;
  }
}

function readArgs(c: Cursor): FtzArgs {
  const dim = c.i32();
  c.i32(); // ws
  c.i32(); // epoch
  c.i32(); // minCount
  c.i32(); // neg
  const wordNgrams = c.i32();
  const loss = c.i32();
  const model = c.i32();
  const bucket = c.i32();
  const minn = c.i32();
  const maxn = c.i32();
  c.i32(); // lrUpdateRate
  c.f64(); // t
  return { dim, wordNgrams, loss, model, bucket, minn, maxn };
}

interface Quantizer {
  dim: number;
  nsubq: number;
  dsub: number;
  lastdsub: number;
  centroids: Float32Array;
}

function readQuantizer(c: Cursor): Quantizer {
  const dim = c.i32();
  const nsubq = c.i32();
  const dsub = c.i32();
  const lastdsub = c.i32();
  if (dim <= 0 || nsubq <= 0 || dsub <= 0 || lastdsub <= 0 || dsub * (nsubq - 1) + lastdsub !== dim) throw new Error('bad product quantizer shape');
  return { dim, nsubq, dsub, lastdsub, centroids: c.f32s(dim * KSUB) };
}

/** Start of centroid `code` of sub-quantizer `m`: each sub-quantizer's block is KSUB centroids of its width. */
function centroidAt(q: Quantizer, m: number, code: number): number {
  return m * KSUB * q.dsub + code * (m === q.nsubq - 1 ? q.lastdsub : q.dsub);
}

interface Matrix {
  rows: number;
  cols: number;
  data: Float32Array;
  /** Row norms left out of `data` (a quantized output matrix's); undefined when there are none. */
  norms?: Float32Array;
}

/**
 * A quantized matrix decoded row by row. A row's value at column m*dsub+n is centroid n of its m-th code;
 * with `foldNorms`, times the row's norm, rounded to float32 as fastText's addcode rounds each product, so
 * adding decoded rows gives the same float32 sums as adding the codes. Without it the norms are returned
 * apart: a dot product with a quantized row is taken with the centroids, then scaled by the norm.
 */
function readQuantMatrix(c: Cursor, foldNorms: boolean, shared: boolean): Matrix {
  const qnorm = c.u8() !== 0;
  const rows = c.i64();
  const cols = c.i64();
  const codesize = c.i32();
  const codes = c.bytes(codesize);
  const pq = readQuantizer(c);
  if (pq.dim !== cols || codesize !== rows * pq.nsubq) throw new Error('quantized matrix shape mismatch');
  let norms: Float32Array | undefined;
  if (qnorm) {
    const normCodes = c.bytes(rows);
    const npq = readQuantizer(c);
    norms = new Float32Array(rows);
    for (let i = 0; i < rows; i++) norms[i] = npq.centroids[centroidAt(npq, 0, normCodes[i])];
  }
  const data = floats(rows * cols, shared);
  for (let i = 0; i < rows; i++) {
    const norm = norms && foldNorms ? norms[i] : 1;
    for (let m = 0; m < pq.nsubq; m++) {
      const from = centroidAt(pq, m, codes[i * pq.nsubq + m]);
      const width = m === pq.nsubq - 1 ? pq.lastdsub : pq.dsub;
      for (let n = 0; n < width; n++) data[i * cols + m * pq.dsub + n] = Math.fround(norm * pq.centroids[from + n]);
    }
  }
  return { rows, cols, data, norms: foldNorms ? undefined : norms };
}

function readDenseMatrix(c: Cursor, shared: boolean): Matrix {
  const rows = c.i64();
  const cols = c.i64();
  if (rows < 0 || cols < 0) throw new Error('negative matrix shape');
  return { rows, cols, data: c.f32s(rows * cols, shared) };
}

/**
 * Where a dense input matrix is placed: a page boundary. Rows of 2^k floats (dims 16, 32, 64 …) then never
 * straddle two pages, and rows whose size is a multiple of 64 bytes sit on whole cache lines: a row read
 * at random costs the fewest misses.
 */
const MATRIX_ALIGN = 4096;

/**
 * A fastText model file, read whole; errors name the file and what is wrong with it. The file is read into
 * one buffer (a SharedArrayBuffer when `shared`) and moved up to MATRIX_ALIGN - 1 bytes within it so that a
 * dense input matrix starts on a page: the matrix is then a view of the file's bytes, not a copy, and a row
 * the predictor reads spans as few cache lines and memory pages as its size allows.
 */
export function loadFastTextModel(path: string, opts: ReadOptions = {}): FtzModel {
  let bytes: Uint8Array;
  let memory: WasmMemory | undefined;
  try {
    ({ bytes, memory } = readWhole(path, opts.shared === true));
  } catch (e) {
    throw new Error(`cannot read fastText model ${path}: ${(e as Error).message}`);
  }
  try {
    const at = denseInputOffset(bytes);
    const size = bytes.length - MATRIX_ALIGN;
    const shift = at === undefined ? 0 : (MATRIX_ALIGN - (at % MATRIX_ALIGN)) % MATRIX_ALIGN;
    if (shift !== 0) bytes.copyWithin(shift, 0, size);
    bytes = bytes.subarray(shift, shift + size);
    const model = readFtz(bytes, opts);
    return memory !== undefined && model.input.buffer === bytes.buffer ? { ...model, memory } : model;
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}

/**
 * The file's bytes followed by MATRIX_ALIGN spare bytes (room to move them for alignment), in a WebAssembly memory where
 * one fits (so the input matrix can be summed in wasm), else in a plain buffer.
 */
function readWhole(path: string, shared: boolean): { bytes: Uint8Array; memory: WasmMemory | undefined } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const memory = modelMemory(size + MATRIX_ALIGN, shared);
    const buffer = memory?.buffer ?? (shared ? new SharedArrayBuffer(size + MATRIX_ALIGN) : new ArrayBuffer(size + MATRIX_ALIGN));
    const bytes = new Uint8Array(buffer, 0, size + MATRIX_ALIGN);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, bytes, at, Math.min(size - at, 1 << 30), at);
      if (n === 0) break;
      at += n;
    }
    if (at !== size) throw new Error(`file shrank while being read (${at} of ${size} bytes)`);
    return { bytes, memory };
  } finally {
    closeSync(fd);
  }
}

/** Where a dense input matrix's floats start, by skipping what comes before them; undefined when quantized or unreadable. */
function denseInputOffset(buf: Uint8Array): number | undefined {
  try {
    const c = new Cursor(buf);
    if (c.i32() !== MAGIC) return undefined;
    c.i32();
    readArgs(c);
    const size = c.i32();
    c.i32();
    c.i32();
    c.i64();
    const pruneSize = c.i64();
    for (let i = 0; i < size; i++) {
      c.skipCstring();
      c.bytes(9);
    }
    if (pruneSize > 0) c.bytes(pruneSize * 8);
    if (c.u8() !== 0) return undefined;
    c.i64();
    c.i64();
    return c.offset;
  } catch {
    return undefined;
  }
}

export function readFtz(buf: Uint8Array, opts: ReadOptions = {}): FtzModel {
  const shared = opts.shared === true;
  const c = new Cursor(buf);
  if (buf.length < 8 || c.i32() !== MAGIC) throw new Error('not a fastText model (bad magic number)');
  const version = c.i32();
  if (version !== VERSION) throw new Error(`fastText model version ${version} is not supported (expected ${VERSION})`);
  const args = readArgs(c);
  if (args.model !== MODEL_SUPERVISED) {
    throw new Error(`a fastText ${MODEL_NAMES[args.model] ?? `model type ${args.model}`} model (word vectors), not a supervised classifier`);
  }
  if (![LOSS_HS, LOSS_NS, LOSS_SOFTMAX, LOSS_OVA].includes(args.loss)) throw new Error(`unknown fastText loss ${args.loss}`);
  if (args.dim <= 0 || args.bucket < 0 || args.wordNgrams < 1) throw new Error('bad model arguments (dim, bucket or wordNgrams)');

  const size = c.i32();
  const nwords = c.i32();
  const nlabels = c.i32();
  c.i64(); // ntokens
  const pruneSize = c.i64();
  const entries: FtzEntry[] = [];
  for (let i = 0; i < size; i++) {
    const bytes = c.cstring();
    const count = c.i64();
    entries.push({ bytes, count, isLabel: c.u8() === 1 });
  }
  if (nwords + nlabels !== size || nlabels < 1) throw new Error('dictionary counts disagree');
  // pruneSize -1: not pruned; 0: every n-gram bucket pruned away; > 0: this many buckets kept.
  const prunedPairs = pruneSize >= 0 ? new Int32Array(pruneSize * 2) : undefined;
  if (prunedPairs) for (let i = 0; i < prunedPairs.length; i++) prunedPairs[i] = c.i32();

  const quantInput = c.u8() !== 0;
  const input = quantInput ? readQuantMatrix(c, true, shared) : readDenseMatrix(c, shared);
  const quantOutput = c.u8() !== 0;
  const output = quantOutput ? readQuantMatrix(c, false, shared) : readDenseMatrix(c, shared);
  if (c.offset !== buf.length) throw new Error('trailing bytes after the output matrix');
  if (input.cols !== args.dim || output.cols !== args.dim) throw new Error('matrix width is not dim');
  const pruned = prunedPairs && prunedBuckets(prunedPairs, args.bucket, nwords, input.rows, shared);
  return { args, nwords, entries, pruned, input: input.data, inputRows: input.rows, output: output.data, outputRows: output.rows, outputNorms: output.norms };
}
