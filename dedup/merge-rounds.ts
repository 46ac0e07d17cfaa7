import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyRange } from './bucket-parts.js';
import { mergeSorted } from './merge.js';
import { RunError } from '../core/errors.js';
import { RecordReader, RecordWriter, type RecordKind } from './record-file.js';

/** One sorted record file of a merge: its last word is a row, numbered from `offset` in the merged stream. */
export interface SortedInput {
  path: string;
  /** The section of a bundle (bundle-file.ts), when the records are one. */
  section?: string;
  rerun: string;
  offset: number;
}

/**
 * Files a merge holds open at once. A merge over more inputs runs in rounds: groups of FAN_IN inputs are
 * merged into files of their own, which the next round merges, so open files stay bounded whatever the task
 * count (the env var is for tests).
 */
const FAN_IN = Number(process.env.ZYDA_DEDUP_FAN_IN) || 128;

/** A record of the merged stream; valid until the next step. Its last word is the global row (offset + row). */
export interface GlobalRecord {
  words: Uint32Array;
  at: number;
}

/**
 * Merges files of key-sorted records whose last word is a row into one stream sorted by key, then by global
 * row (input order, as the inputs' offsets increase), keeping only the keys in `range` when given. Round files go in `spillDir` and are removed as soon as
 * they are read; they are record files of the same kind, with global rows.
 */
export function* mergeInRounds(inputs: SortedInput[], kind: RecordKind, keyWords: number, spillDir: string, range?: KeyRange): Generator<GlobalRecord> {
  let level = inputs;
  let round = 0;
  while (level.length > FAN_IN) {
    const next: SortedInput[] = [];
    for (let i = 0; i < level.length; i += FAN_IN) {
      const group = level.slice(i, i + FAN_IN);
      const path = join(spillDir, `round-${round}-${String(next.length).padStart(6, '0')}.bin`);
      let out: RecordWriter | undefined;
      for (const rec of mergeGroup(group, kind, keyWords, range)) {
        out ??= new RecordWriter(path, kind, keyWords + 1);
        out.writeWords(rec.words.subarray(rec.at, rec.at + keyWords + 1));
      }
      (out ?? new RecordWriter(path, kind, keyWords + 1)).close();
      if (round > 0) for (const g of group) rmSync(g.path, { force: true });
      next.push({ path, rerun: `the dedup step that merged ${path}`, offset: 0 });
    }
    level = next;
    round++;
  }
  yield* mergeGroup(level, kind, keyWords, range);
  if (round > 0) for (const g of level) rmSync(g.path, { force: true });
}

function* mergeGroup(group: SortedInput[], kind: RecordKind, keyWords: number, range?: KeyRange): Generator<GlobalRecord> {
  const readers = group.map((g) => new RecordReader(g.path, kind, g.rerun, g.section));
  // Files of one kind written by different zyda versions would compare unlike keys.
  const odd = readers.findIndex((r) => r.width !== keyWords + 1);
  if (odd >= 0) {
    for (const r of readers) r.close();
    throw new RunError(`${readers[odd].path}: records of ${readers[odd].width} words where ${keyWords + 1} were expected; rerun ${group[odd].rerun}`);
  }
  // Each chunk is the reader's own fresh array, read once: the row can be made global in place.
  for (const m of mergeSorted(readers, keyWords, range)) {
    m.words[m.at + keyWords] += group[m.input].offset;
    yield m;
  }
}
