import { RunError } from '../core/errors.js';
import type { KeyRange } from './bucket-parts.js';
import type { GlobalRecord, SortedInput } from './merge-rounds.js';
import { RecordReader, type RecordKind } from './record-file.js';
import { firstAtLeast, sortedOrder } from './sort-records.js';

/**
 * The same stream as mergeInRounds, for inputs whose records (in `range`) fit in memory: each file is read in
 * turn and its records appended with global rows, then sorted by key (sort-records.ts). Appended in input
 * order, every record's position follows its global row, and the sort keeps that order on equal keys, so the
 * stream is the merge's record for record, at less than half the heap merge's CPU per record.
 */
export function* sortInMemory(inputs: SortedInput[], kind: RecordKind, keyWords: number, range?: KeyRange): Generator<GlobalRecord> {
  const width = keyWords + 1;
  const pieces: Uint32Array[] = [];
  let total = 0;
  for (const input of inputs) {
    const reader = new RecordReader(input.path, kind, input.rerun, input.section);
    if (reader.width !== width) {
      reader.close();
      throw new RunError(`${input.path}: records of ${reader.width} words where ${width} were expected; rerun ${input.rerun}`);
    }
    // One buffer for the reads: most of what a part reads is out of its range, and only its range is kept.
    for (const chunk of reader.chunks(1 << 16, true)) {
      const from = range ? firstAtLeast(chunk, width, range.lo) : 0;
      const to = range ? firstAtLeast(chunk, width, range.hi) : chunk.length / width;
      if (to <= from) continue;
      const piece = chunk.slice(from * width, to * width);
      for (let at = keyWords; at < piece.length; at += width) piece[at] += input.offset;
      pieces.push(piece);
      total += piece.length;
    }
  }
  const all = new Uint32Array(total);
  let at = 0;
  for (const p of pieces) {
    all.set(p, at);
    at += p.length;
  }
  pieces.length = 0;
  const order = sortedOrder(all, width, keyWords);
  const out: GlobalRecord = { words: all, at: 0 };
  for (let i = 0; i < order.length; i++) {
    out.at = order[i] * width;
    yield out;
  }
}

