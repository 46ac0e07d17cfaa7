import { Dictionary, EOS, LABEL_PREFIX } from './dictionary.js';
import { wordHash } from './word-hash.js';
import { expf } from './expf.js';
import { HierarchicalSoftmax } from './hierarchical-softmax.js';
import { KBest } from './k-best.js';
import { LOSS_HS, LOSS_SOFTMAX, type FtzModel } from './model-reader.js';
import { OneVsAll, Softmax, type OutputLayer } from './output-layers.js';
import type { SharedTokenRows } from './shared-token-rows.js';
import { TokenMemo, MAX_MEMO_TOKEN } from './token-memo.js';
import { encodeLine } from './utf8.js';
import { HEAD_HI_MASK, HEAD_LO_MASK, type WordTable } from './word-table.js';
import { WasmRowSum } from './wasm-row-sum.js';
import { wordNgramBuckets } from './word-ngrams.js';

/** Bytes that end a token, as fastText's word reader splits: space, \t, \n, \v, \f, \r, NUL. Only \n also ends the line. */
const DELIMITER = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x00]) DELIMITER[c] = 1;
const NEWLINE = 0x0a;
const EOS_BYTES = Buffer.from(EOS, 'latin1');
const LABEL_BYTES = Buffer.from(LABEL_PREFIX, 'latin1');
const EOS_HASH = wordHash(EOS_BYTES, 0, EOS_BYTES.length);

export interface TopPrediction {
  /** The label without fastText's `__label__` prefix. */
  label: string;
  /** Its probability as fastText reports it (a float32 value). */
  score: number;
}

export interface Predictions {
  /** Label indices (into `labels`), most probable first. */
  labels: number[];
  /** Their probabilities, exp of fastText's float32 log-probabilities, as float32 values. */
  probs: number[];
}

/**
 * A supervised fastText model predicting one line at a time, as fastText does: the text becomes UTF-8, is
 * read up to its first \n (or a `</s>` token) and always ends with the sentence-end token; each word token
 * adds its input rows (its own, then its char n-grams'), then come the word n-grams' rows; the hidden
 * vector is the float32 mean of all those rows, and the output layer of the model's loss scores the labels.
 * Each distinct token's rows are memoised; a model without char n-grams, whose tokens have one row at
 * most, looks them up in its vocabulary's word table instead.
 */
export class FastTextPredictor {
  /** Every label without its `__label__` prefix, in the model's order. */
  readonly labels: string[];
  private readonly dict: Dictionary;
  private readonly output: OutputLayer;
  private readonly hs: HierarchicalSoftmax | undefined;
  private readonly input: Float32Array;
  /** Sums the input rows with wasm SIMD when the matrix lives in a WebAssembly memory; else sumRows does. */
  private readonly wasmSum: WasmRowSum | undefined;
  private readonly dim: number;
  private readonly wordNgrams: number;
  private readonly bucket: number;
  /**
   * Each token's rows, for a model with char n-grams. A model without looks its words up in the dictionary's
   * word table and never writes here, so the memo's zeroed pages are never mapped.
   */
  private readonly memo = new TokenMemo();
  private readonly hidden: Float32Array;
  /** The line's UTF-8 bytes, with room after them (see computeHidden). */
  private bytes = new Uint8Array(1 << 16);
  private bytesView = new DataView(this.bytes.buffer);
  /** The line's input rows (as offsets into the input matrix), in fastText's order, added once all are known. */
  private lineRows: Int32Array = new Int32Array(4096);
  private rowCount = 0;
  /** fastText hashes of the line's word tokens (labels excluded), for the word n-grams. */
  private wordHashes: Int32Array = new Int32Array(1024);
  private words = 0;
  private ngramRows: Int32Array = new Int32Array(1024);
  /** The line's tokens: bytes[tokenFrom[t], tokenTo[t]) with word hash tokenHash[t], for t < tokens. */
  private tokenFrom: Int32Array = new Int32Array(1024);
  private tokenTo: Int32Array = new Int32Array(1024);
  private tokenHash: Int32Array = new Int32Array(1024);
  private tokens = 0;
  /** What touching the memo slots read, kept so that the reads are not optimised away. */
  private touched = 0;
  /** Whether a \n ends the text, as fastText reads a line, or reads as a space. */
  private readonly newlineEnds: boolean;
  /** Tokens' rows known to every thread of the process, asked when this thread's memo misses. */
  private readonly shared: SharedTokenRows | undefined;

  /**
   * `newlines: 'space'` reads each newline as a space, as if every run of \r and \n had been replaced by one
   * first (fastText splits tokens on both), without building that string. `sharedRows`: a table of this
   * model's token rows that the process's threads share (shared-token-rows.ts).
   */
  constructor(model: FtzModel, opts: { newlines?: 'end' | 'space'; sharedRows?: SharedTokenRows } = {}) {
    this.newlineEnds = opts.newlines !== 'space';
    this.shared = opts.sharedRows;
    const { args } = model;
    this.dict = new Dictionary(model);
    this.dim = args.dim;
    this.wordNgrams = args.wordNgrams;
    this.bucket = args.bucket;
    this.input = model.input;
    this.wasmSum = WasmRowSum.of(model.memory, model.input, this.dim);
    this.hidden = new Float32Array(this.dim);
    const labelEntries = model.entries.slice(model.nwords);
    this.labels = labelEntries.map((e) => Buffer.from(e.bytes, 'latin1').toString('utf8').replace(/^__label__/, ''));
    if (args.loss === LOSS_HS) {
      this.hs = new HierarchicalSoftmax(labelEntries.map((e) => e.count), model.output, model.outputNorms, this.dim);
      this.output = this.hs;
    } else {
      if (model.outputRows < labelEntries.length) throw new Error('output matrix has fewer rows than labels');
      const Layer = args.loss === LOSS_SOFTMAX ? Softmax : OneVsAll;
      this.output = new Layer(model.output, model.outputNorms, this.dim, labelEntries.length);
    }
  }

  /** The top label of one line with threshold 0, or undefined when the line gives no input rows at all. */
  predict(line: string): TopPrediction | undefined {
    if (!this.computeHidden(line)) return undefined;
    if (this.hs) {
      const { label, logProb } = this.hs.best(this.hidden);
      return { label: this.labels[label], score: expf(logProb) };
    }
    const top = this.predictHidden(1, 0);
    return top.labels.length === 0 ? undefined : { label: this.labels[top.labels[0]], score: top.probs[0] };
  }

  /**
   * The `k` most probable labels of one line (k < 0: all) whose probability is at least `threshold`, most
   * probable first, as `fasttext predict-prob` lists them; none when the line gives no input rows.
   */
  predictTop(line: string, k: number, threshold: number): Predictions {
    if (k === 0) throw new Error('k must be at least 1, or negative for every label');
    if (!this.computeHidden(line)) return { labels: [], probs: [] };
    return this.predictHidden(k, threshold);
  }

  private predictHidden(k: number, threshold: number): Predictions {
    const best = new KBest(k);
    this.output.kBest(this.hidden, Math.fround(threshold), best);
    const { labels, scores } = best.sorted();
    return { labels, probs: scores.map(expf) };
  }

  /** Fills the hidden vector from one line; false when the line has no input rows. */
  private computeHidden(line: string): boolean {
    // Room for the line's bytes, a `</s>` after them, and 8 spare bytes past that (see addWords).
    if (this.bytes.length < line.length * 3 + 16) {
      this.bytes = new Uint8Array(line.length * 4 + 16);
      this.bytesView = new DataView(this.bytes.buffer);
    }
    const bytes = this.bytes;
    const n = encodeLine(line, bytes);
    this.hidden.fill(0);
    this.rowCount = 0;
    this.words = 0;
    // A line always ends with the sentence end: the `</s>` token that ended it, or one appended.
    if (!this.findTokens(bytes, n)) {
      bytes.set(EOS_BYTES, n + 1);
      this.noteToken(n + 1, n + 1 + EOS_BYTES.length, EOS_HASH);
    }
    const words = this.dict.wordTable;
    if (words) this.addWords(words, bytes);
    else this.addTokens(bytes);
    if (this.wordNgrams > 1) {
      const ngrams = this.wordNgramRows();
      this.addRows(this.ngramRows, 0, ngrams);
    }
    if (this.rowCount === 0) return false;
    if (this.wasmSum) this.wasmSum.sum(this.lineRows, this.rowCount, this.hidden);
    else this.sumRows(this.lineRows, this.rowCount);
    const scale = Math.fround(1 / this.rowCount);
    for (let j = 0; j < this.dim; j++) this.hidden[j] *= scale;
    return true;
  }

  /**
   * Adds the rows of each token, in order. A tight loop touches each one's memo slot first, and only then
   * are they looked up: the slots' memory reads overlap instead of stalling one lookup after another.
   */
  private addTokens(bytes: Uint8Array): void {
    const { tokenFrom, tokenTo, tokenHash } = this;
    const memo = this.memo;
    let touched = 0;
    for (let t = 0; t < this.tokens; t++) touched ^= memo.touch(tokenHash[t]);
    this.touched = touched;
    for (let t = 0; t < this.tokens; t++) this.addToken(bytes, tokenFrom[t], tokenTo[t], tokenHash[t]);
  }

  /**
   * The rows of a model without char n-grams: each token's word row, in order. A tight loop touches each
   * token's slot in the word table first, as addTokens does the memo's.
   */
  private addWords(words: WordTable, bytes: Uint8Array): void {
    const { tokenFrom, tokenTo, tokenHash, tokens } = this;
    let touched = 0;
    for (let t = 0; t < tokens; t++) touched ^= words.touch(tokenHash[t]);
    this.touched = touched;
    // Tokens have 8 spare bytes past them (see computeHidden), so a token's head is two unaligned reads.
    const view = this.bytesView;
    for (let t = 0; t < tokens; t++) {
      const from = tokenFrom[t];
      const to = tokenTo[t];
      if (this.isLabel(bytes, from, to)) continue;
      this.noteWord(tokenHash[t]);
      const head = Math.min(to - from, 8);
      const lo = view.getInt32(from, true) & HEAD_LO_MASK[head];
      const hi = view.getInt32(from + 4, true) & HEAD_HI_MASK[head];
      const id = words.find(tokenHash[t], lo, hi, bytes, from, to);
      if (id >= 0) this.addRow(id * this.dim);
    }
  }

  /**
   * Notes the bytes and hash of each token up to the line's end (a \n unless newlines read as spaces, or a
   * `</s>` token, noted too); true when a `</s>` token ended the line.
   */
  private findTokens(bytes: Uint8Array, n: number): boolean {
    this.tokens = 0;
    const newlineEnds = this.newlineEnds;
    let start = -1;
    // Each token's wordHash, taken byte by byte as the scan passes; it also keys the memo.
    let h = 0;
    for (let i = 0; i <= n; i++) {
      const b = i < n ? bytes[i] : NEWLINE;
      if (DELIMITER[b] === 1) {
        if (start >= 0) {
          this.noteToken(start, i, h);
          if (isEos(bytes, start, i)) break;
        }
        start = -1;
        if (b === NEWLINE && (newlineEnds || i === n)) break;
      } else {
        if (start < 0) {
          start = i;
          h = 0x811c9dc5 | 0;
        }
        h = Math.imul(h ^ ((b << 24) >> 24), 0x01000193);
      }
    }
    return this.tokens > 0 && isEos(bytes, this.tokenFrom[this.tokens - 1], this.tokenTo[this.tokens - 1]);
  }

  private noteToken(from: number, to: number, h: number): void {
    if (this.tokens === this.tokenHash.length) {
      this.tokenFrom = grow(this.tokenFrom);
      this.tokenTo = grow(this.tokenTo);
      this.tokenHash = grow(this.tokenHash);
    }
    this.tokenFrom[this.tokens] = from;
    this.tokenTo[this.tokens] = to;
    this.tokenHash[this.tokens++] = h;
  }

  /** Adds the rows of bytes[from, to) (its word hash `h`) and notes the hash when it is a word. */
  private addToken(bytes: Uint8Array, from: number, to: number, h: number): void {
    // A label token's rows are none (Dictionary.rows).
    if (this.wordNgrams > 1 && !this.isLabel(bytes, from, to)) this.noteWord(h);
    const memo = this.memo;
    let rec = memo.find(bytes, from, to, h);
    if (rec < 0) {
      if (to - from > MAX_MEMO_TOKEN) {
        const rows = this.rowsOf(bytes, from, to);
        this.addRows(Int32Array.from(rows), 0, rows.length);
        return;
      }
      const shared = this.shared;
      const known = shared ? shared.find(bytes, from, to, h) : -1;
      if (known >= 0) rec = memo.add(bytes, from, to, h, shared!.arena.subarray(shared!.rowsFrom(known), shared!.rowsTo(known)));
      else {
        const rows = this.rowsOf(bytes, from, to);
        shared?.add(bytes, from, to, h, rows);
        rec = memo.add(bytes, from, to, h, rows);
      }
    }
    this.addRows(memo.arena, memo.rowsFrom(rec), memo.rowsTo(rec));
  }

  /** The input rows of bytes[from, to), as offsets into the input matrix, from the dictionary. */
  private rowsOf(bytes: Uint8Array, from: number, to: number): number[] {
    return this.dict.rows(bytes.subarray(from, to)).map((r) => r * this.dim);
  }

  /** A label token adds no row and is no word of the n-grams. */
  private isLabel(bytes: Uint8Array, from: number, to: number): boolean {
    return bytes[from] === LABEL_BYTES[0] && startsWith(bytes, from, to, LABEL_BYTES);
  }

  private noteWord(h: number): void {
    if (this.wordNgrams <= 1) return;
    if (this.words === this.wordHashes.length) this.wordHashes = grow(this.wordHashes);
    this.wordHashes[this.words++] = h;
  }

  /** Puts the input rows of the line's word n-grams in ngramRows; returns how many. */
  private wordNgramRows(): number {
    const need = this.words * (this.wordNgrams - 1);
    if (this.ngramRows.length < need) this.ngramRows = new Int32Array(need * 2);
    const buckets = this.ngramRows;
    const n = wordNgramBuckets(this.wordHashes, this.words, this.wordNgrams, this.bucket, buckets);
    const first = this.dict.firstBucketRow;
    let kept = 0;
    if (first !== undefined) {
      for (; kept < n; kept++) buckets[kept] = (first + buckets[kept]) * this.dim;
    } else {
      for (let i = 0; i < n; i++) {
        const row = this.dict.rowOfBucket(buckets[i]);
        if (row >= 0) buckets[kept++] = row * this.dim;
      }
    }
    return kept;
  }

  private addRow(row: number): void {
    if (this.rowCount === this.lineRows.length) this.lineRows = grow(this.lineRows);
    this.lineRows[this.rowCount++] = row;
  }

  /** Appends rows[from, to) to the line's rows. */
  private addRows(rows: Int32Array, from: number, to: number): void {
    const n = to - from;
    if (this.rowCount + n > this.lineRows.length) {
      const bigger = new Int32Array(Math.max(this.lineRows.length * 2, this.rowCount + n));
      bigger.set(this.lineRows.subarray(0, this.rowCount));
      this.lineRows = bigger;
    }
    const out = this.lineRows;
    let at = this.rowCount;
    for (let k = from; k < to; k++) out[at++] = rows[k];
    this.rowCount = at;
  }

  /**
   * Float32 sums, row after row, as fastText adds them. Each component's sums are rounded to float in row
   * order; four rows are added per pass over the components, which keeps that order and lets the memory
   * reads of four rows (cache misses, in a large model) overlap.
   */
  private sumRows(rows: Int32Array, count: number): void {
    const h = this.hidden;
    const w = this.input;
    const dim = this.dim;
    const f32 = Math.fround;
    let k = 0;
    for (; k + 8 <= count; k += 8) {
      const a = rows[k];
      const b = rows[k + 1];
      const c = rows[k + 2];
      const d = rows[k + 3];
      const e = rows[k + 4];
      const f = rows[k + 5];
      const g = rows[k + 6];
      const i = rows[k + 7];
      for (let j = 0; j < dim; j++) {
        const s = f32(f32(f32(f32(h[j] + w[a + j]) + w[b + j]) + w[c + j]) + w[d + j]);
        h[j] = f32(f32(f32(f32(s + w[e + j]) + w[f + j]) + w[g + j]) + w[i + j]);
      }
    }
    for (; k < count; k++) {
      const o = rows[k];
      for (let j = 0; j < dim; j++) h[j] += w[o + j];
    }
  }
}

function startsWith(bytes: Uint8Array, from: number, to: number, prefix: Uint8Array): boolean {
  if (to - from < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[from + i] !== prefix[i]) return false;
  return true;
}

function isEos(bytes: Uint8Array, from: number, to: number): boolean {
  return to - from === EOS_BYTES.length && startsWith(bytes, from, to, EOS_BYTES);
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
