import type { FtzModel } from './model-reader.js';
import { prunedRow, type PrunedBuckets } from './pruned-buckets.js';
import { WordTable } from './word-table.js';

/** fastText's sentence end; a token equal to it also ends the line. */
export const EOS = '</s>';
/** Tokens starting with this are labels: they add nothing to the input. */
export const LABEL_PREFIX = '__label__';
const BOW = 0x3c; // '<'
const EOW = 0x3e; // '>'

/**
 * The dictionary side of fastText input: which input-matrix rows a token adds. A word in the vocabulary
 * adds its own row, then (for any token) each char n-gram of `<token>` of minn..maxn UTF-8 characters
 * whose hash bucket survived pruning adds that bucket's row.
 */
export class Dictionary {
  /** The vocabulary's word ids, looked up from a token's bytes without building a string. */
  private readonly words: WordTable;
  /** The same, for a model without char n-grams, whose tokens' only row is their word's: the predictor reads it directly. */
  readonly wordTable: WordTable | undefined;
  /** One bit per hash bucket: set when the bucket has a row (pruned-buckets.ts). */
  private readonly hasRow: Uint32Array;
  /** The rows of the buckets that have one; undefined when every bucket has a row (no pruning). */
  private readonly pruned: PrunedBuckets | undefined;
  private readonly nwords: number;
  private readonly minn: number;
  private readonly maxn: number;
  private readonly bucket: number;
  private scratch = new Uint8Array(256);

  constructor(model: FtzModel) {
    const { args, nwords, entries, pruned } = model;
    this.nwords = nwords;
    this.minn = args.minn;
    this.maxn = args.maxn;
    this.bucket = args.bucket;
    this.words = new WordTable(entries.slice(0, nwords).map((e) => e.bytes));
    if (this.maxn === 0) this.wordTable = this.words;
    this.pruned = pruned;
    if (pruned) this.hasRow = pruned.hasRow;
    else {
      if (model.inputRows < nwords + args.bucket) throw new Error('input matrix has too few rows');
      this.hasRow = new Uint32Array((args.bucket + 31) >>> 5).fill(0xffffffff);
    }
  }

  /** When no bucket was pruned, bucket b's input row is this + b; else undefined (rowOfBucket knows). */
  get firstBucketRow(): number | undefined {
    return this.pruned === undefined ? this.nwords : undefined;
  }

  /** The input row of hash bucket `b` (char or word n-gram), or -1 when pruning left it none. */
  rowOfBucket(b: number): number {
    if ((this.hasRow[b >>> 5] & (1 << (b & 31))) === 0) return -1;
    return this.pruned ? prunedRow(this.pruned, b) : this.nwords + b;
  }

  /** Input rows of one token given as UTF-8 bytes; empty for a label token. */
  rows(token: Uint8Array): number[] {
    if (startsWith(token, LABEL_BYTES)) return [];
    const id = this.words.idOf(token);
    const out: number[] = id < 0 ? [] : [id];
    // The sentence end has no n-grams.
    if (this.maxn > 0 && !(token.length === EOS_BYTES.length && startsWith(token, EOS_BYTES))) this.addNgrams(token, out);
    return out;
  }

  private addNgrams(token: Uint8Array, out: number[]): void {
    const len = token.length + 2;
    if (this.scratch.length < len) this.scratch = new Uint8Array(len * 2);
    const w = this.scratch;
    w[0] = BOW;
    w.set(token, 1);
    w[len - 1] = EOW;
    for (let i = 0; i < len; i++) {
      if ((w[i] & 0xc0) === 0x80) continue; // n-grams start on a character, not inside one
      // 32-bit FNV-1a, extended one byte at a time. fastText hashes each byte as a signed char, so bytes
      // >= 0x80 are sign-extended to 0xFFFFFFxx before the xor.
      let h = 0x811c9dc5 | 0;
      for (let j = i, n = 1; j < len && n <= this.maxn; n++) {
        // One UTF-8 character: its lead byte and any continuation bytes.
        do h = Math.imul(h ^ ((w[j++] << 24) >> 24), 0x01000193);
        while (j < len && (w[j] & 0xc0) === 0x80);
        // A single character is skipped when it is the '<' or '>' boundary.
        if (n >= this.minn && !(n === 1 && (i === 0 || j === len))) {
          const row = this.rowOfBucket((h >>> 0) % this.bucket);
          if (row >= 0) out.push(row);
        }
      }
    }
  }
}

const LABEL_BYTES = Buffer.from(LABEL_PREFIX, 'latin1');
const EOS_BYTES = Buffer.from(EOS, 'latin1');

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}
