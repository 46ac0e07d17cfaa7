import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RunError } from '../core/errors.js';
import { ANNOT_WIDTH, layout } from './layout.js';
import { RecordReader } from './record-file.js';

/**
 * One task's annotations of one phase (layout.ts: a section of annot/exact|near.bin), as ANNOT_WIDTH-word
 * records; empty when the clusters step did not run the phase (exact keys or MinHash off). A workdir of an
 * earlier zyda has a file per task instead, annot/exact|near/task-T.bin, whose records may also hold the kept
 * doc's id hash after the same words.
 */
export function readAnnotations(dir: string, phase: 'exact' | 'near', task: number): Uint32Array {
  const rerun = `dedup clusters (${phase})`;
  const bundle = layout.annot(dir, phase);
  if (existsSync(bundle)) return recordsOf(new RecordReader(bundle, 'annot', rerun, layout.annotSection(task)), bundle);
  const earlier = join(dir, 'annot', phase, `${layout.annotSection(task)}.bin`);
  if (existsSync(earlier)) return recordsOf(new RecordReader(earlier, 'annot', rerun), earlier);
  return new Uint32Array(0);
}

function recordsOf(reader: RecordReader, path: string): Uint32Array {
  const width = reader.width;
  if (width < ANNOT_WIDTH) {
    reader.close();
    throw new RunError(`${path}: annotations of ${width} words, fewer than the ${ANNOT_WIDTH} this zyda reads; rerun the dedup clusters step (zyda run --force)`);
  }
  const all = reader.readAll();
  if (width === ANNOT_WIDTH) return all;
  const words = new Uint32Array((all.length / width) * ANNOT_WIDTH);
  for (let i = 0, o = 0; i < all.length; i += width, o += ANNOT_WIDTH) words.set(all.subarray(i, i + ANNOT_WIDTH), o);
  return words;
}
