/**
 * Reads a fastText binary model (.bin or quantized .ftz, format version 12) into plain typed arrays.
 * Only what prediction needs is kept; the layout is fastText's save order, all little-endian:
 *   magic, version, args, dictionary (entries, then the pruned-bucket map), input matrix, output matrix.
 */

const MAGIC = 793712314;
const VERSION = 12;
/** A product quantizer splits a row into sub-vectors, each coded by one byte: 256 centroids per sub-vector. */
const KSUB = 256;

export const LOSS_HS = 1;
const MODEL_SUPERVISED = 3;

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
  /** Char n-gram bucket -> its row after pruning; undefined when the model was not pruned (every bucket has a row). */
  pruned: Map<number, number> | undefined;
  /** The input matrix decoded to floats, `dim` per row: words' rows, then n-gram buckets' rows. */
  input: Float32Array;
  inputRows: number;
  /** The output matrix, `dim` floats per row (for hierarchical softmax: one row per inner tree node). */
  output: Float32Array;
  outputRows: number;
}

class Cursor {
  private at = 0;
  private readonly view: DataView;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  private need(n: number): number {
    if (this.at + n > this.buf.length) throw new Error(`fastText model truncated at byte ${this.at}`);
    const at = this.at;
    this.at += n;
    return at;
  }
  i32(): number {
    return this.view.getInt32(this.need(4), true);
  }
  i64(): number {
    const v = this.view.getBigInt64(this.need(8), true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('fastText model: 64-bit field out of range');
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
  f32s(n: number): Float32Array {
    const at = this.need(n * 4);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.view.getFloat32(at + i * 4, true);
    return out;
  }
  /** A NUL-terminated string, as latin1 (bytes kept as they are). */
  cstring(): string {
    const end = this.buf.indexOf(0, this.at);
    if (end < 0) throw new Error('fastText model: unterminated dictionary entry');
    const s = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.at, end - this.at).toString('latin1');
    this.at = end + 1;
    return s;
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
  if (dim <= 0 || nsubq <= 0 || dsub <= 0 || lastdsub <= 0 || dsub * (nsubq - 1) + lastdsub !== dim) throw new Error('fastText model: bad product quantizer shape');
  return { dim, nsubq, dsub, lastdsub, centroids: c.f32s(dim * KSUB) };
}

/** Start of centroid `code` of sub-quantizer `m`: each sub-quantizer's block is KSUB centroids of its width. */
function centroidAt(q: Quantizer, m: number, code: number): number {
  return m * KSUB * q.dsub + code * (m === q.nsubq - 1 ? q.lastdsub : q.dsub);
}

/**
 * A quantized matrix decoded row by row. A row's value at column m*dsub+n is the row's norm times
 * centroid n of its m-th code, rounded to float32 as fastText's addcode rounds each product, so adding
 * decoded rows gives the same float32 sums as adding the codes.
 */
function readQuantMatrix(c: Cursor): { rows: number; cols: number; data: Float32Array } {
  const qnorm = c.u8() !== 0;
  const rows = c.i64();
  const cols = c.i64();
  const codesize = c.i32();
  const codes = c.bytes(codesize);
  const pq = readQuantizer(c);
  if (pq.dim !== cols || codesize !== rows * pq.nsubq) throw new Error('fastText model: quantized matrix shape mismatch');
  let norms: Float32Array | undefined;
  if (qnorm) {
    const normCodes = c.bytes(rows);
    const npq = readQuantizer(c);
    norms = new Float32Array(rows);
    for (let i = 0; i < rows; i++) norms[i] = npq.centroids[centroidAt(npq, 0, normCodes[i])];
  }
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const norm = norms ? norms[i] : 1;
    for (let m = 0; m < pq.nsubq; m++) {
      const from = centroidAt(pq, m, codes[i * pq.nsubq + m]);
      const width = m === pq.nsubq - 1 ? pq.lastdsub : pq.dsub;
      for (let n = 0; n < width; n++) data[i * cols + m * pq.dsub + n] = Math.fround(norm * pq.centroids[from + n]);
    }
  }
  return { rows, cols, data };
}

function readDenseMatrix(c: Cursor): { rows: number; cols: number; data: Float32Array } {
  const rows = c.i64();
  const cols = c.i64();
  return { rows, cols, data: c.f32s(rows * cols) };
}

export function readFtz(buf: Uint8Array): FtzModel {
  const c = new Cursor(buf);
  if (c.i32() !== MAGIC) throw new Error('not a fastText model (bad magic number)');
  const version = c.i32();
  if (version !== VERSION) throw new Error(`fastText model version ${version} is not supported (expected ${VERSION})`);
  const args = readArgs(c);
  if (args.model !== MODEL_SUPERVISED) throw new Error('fastText model is not a supervised (classifier) model');

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
  if (nwords + nlabels !== size) throw new Error('fastText model: dictionary counts disagree');
  // pruneSize -1: not pruned; 0: every n-gram bucket pruned away; > 0: this many buckets kept.
  let pruned: Map<number, number> | undefined;
  if (pruneSize >= 0) {
    pruned = new Map();
    for (let i = 0; i < pruneSize; i++) {
      const bucket = c.i32();
      pruned.set(bucket, c.i32());
    }
  }

  const quantInput = c.u8() !== 0;
  const input = quantInput ? readQuantMatrix(c) : readDenseMatrix(c);
  const quantOutput = c.u8() !== 0;
  if (quantInput && quantOutput) throw new Error('fastText model: quantized output matrix is not supported');
  const output = readDenseMatrix(c);
  if (c.offset !== buf.length) throw new Error('fastText model: trailing bytes after the output matrix');
  if (input.cols !== args.dim || output.cols !== args.dim) throw new Error('fastText model: matrix width is not dim');
  return { args, nwords, entries, pruned, input: input.data, inputRows: input.rows, output: output.data, outputRows: output.rows };
}
