import type { KeyRange } from './bucket-parts.js';
import type { RecordReader } from './record-file.js';
import { compareKeys, firstAtLeast } from './sort-records.js';

/** One record of a k-way merge: which input it came from, and where it sits in that input's current chunk. */
export interface MergedRecord {
  input: number;
  words: Uint32Array;
  at: number;
}

interface Cursor {
  input: number;
  chunks: Generator<Uint32Array>;
  words: Uint32Array;
  at: number;
}

/** Memory for the chunks of all inputs of one merge, so a merge over thousands of task files stays bounded. */
const MERGE_BUDGET_BYTES = 64 << 20;

/**
 * Merges record files sorted by their first `keyWords` words into one sorted stream; equal keys come in input
 * order. With a `range`, only records whose first word lies in it; the rest of each file is still read, for its
 * checksum. Memory: one chunk per input, MERGE_BUDGET_BYTES in all. The yielded record is only valid until the next step.
 */
export function* mergeSorted(readers: RecordReader[], keyWords: number, range?: KeyRange): Generator<MergedRecord> {
  const width = readers[0]?.width ?? 0;
  const chunkRecords = Math.max(256, Math.floor(MERGE_BUDGET_BYTES / Math.max(1, readers.length * width * 4)));
  const heap: Cursor[] = [];
  const less = (a: Cursor, b: Cursor) => {
    const d = compareKeys(a.words, a.at, b.words, b.at, keyWords);
    return d < 0 || (d === 0 && a.input < b.input);
  };
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l], heap[m])) m = l;
      if (r < heap.length && less(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  readers.forEach((r, input) => {
    if (r.width !== width) throw new Error(`${r.path}: ${r.width} words per record, expected ${width}; were the files written with different options?`);
    const all = r.chunks(Math.min(chunkRecords, 1 << 16));
    const chunks = range ? inRange(all, width, range) : all;
    const first = chunks.next();
    if (!first.done) heap.push({ input, chunks, words: first.value, at: 0 });
  });
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(i);
  const out: MergedRecord = { input: 0, words: new Uint32Array(0), at: 0 };
  while (heap.length > 0) {
    const c = heap[0];
    out.input = c.input;
    out.words = c.words;
    out.at = c.at;
    yield out;
    c.at += width;
    if (c.at >= c.words.length) {
      const next = c.chunks.next();
      if (next.done) {
        heap[0] = heap[heap.length - 1];
        heap.pop();
      } else {
        c.words = next.value;
        c.at = 0;
      }
    }
    if (heap.length > 0) siftDown(0);
  }
}

/** The records of sorted chunks whose first word lies in `range`, read to the end so the checksum is checked. */
function* inRange(chunks: Generator<Uint32Array>, width: number, range: KeyRange): Generator<Uint32Array> {
  for (const c of chunks) {
    const from = firstAtLeast(c, width, range.lo);
    const to = firstAtLeast(c, width, range.hi);
    if (to > from) yield c.subarray(from * width, to * width);
  }
}
