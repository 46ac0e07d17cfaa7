import { join } from 'node:path';

/**
 * Where each dedup intermediate lives under the stage's directory, and its record layout (u32 words):
 *   keys/task-K.bin           a bundle (bundle-file.ts) of the task's sorted keys, one section each:
 *     section exact             [sha-256 of normalised text, first 4 words, row]   sorted by key, then row
 *     section band-BBB          [band key (2 words, band-key.ts), row]   sorted the same way
 *   sigs/task-K.bin           [signature (num_perm words)] per row, all 0xffffffff for a doc with none
 *   docs/task-K.bin           [id hash hi, id hash lo, flags] per row; flag 1 = empty after normalisation
 *   edges/exact.bin, edges/band-BBB.bin   [doc, doc] as global doc numbers; when the buckets step splits the
 *                             keys into P parts (bucket-parts.ts), exact|band-BBB.part-PPP-of-NNN.bin, one per part
 *   merge/exact|band-B[.part-P]/round-R-NNNNNN.bin   while a buckets task merges in rounds (merge-rounds.ts): keys
 *                             records with global doc numbers for rows; removed when the task ends
 *   annot/exact|near.bin      a bundle of one section per task, task-T: [row, flags (1 = removed), cluster size,
 *                             kept doc's number]
 *   members/task-K.jsonl      one line per doc in a cluster, for `zyda inspect`
 * K is the first-pass task's key, T its number in this run's plan.
 * A global doc number is the task's offset (docs in earlier tasks) plus the row; index entries follow.
 */
const pad = (n: number, w: number) => String(n).padStart(w, '0');
/** A first-pass task's files are named by its key (runtime/task-key.ts); the reduce steps' by the task's number. */
const taskFile = (task: number | string, ext = 'bin') => `task-${typeof task === 'string' ? task : pad(task, 6)}.${ext}`;

export const layout = {
  keys: (dir: string, task: number | string) => join(dir, 'keys', taskFile(task)),
  keySection: (band: number | 'exact') => (band === 'exact' ? 'exact' : `band-${pad(band, 3)}`),
  sigs: (dir: string, task: number | string) => join(dir, 'sigs', taskFile(task)),
  docs: (dir: string, task: number | string) => join(dir, 'docs', taskFile(task)),
  /** A band's edges, or those of part `part` of `parts` of it (bucket-parts.ts). */
  edges: (dir: string, band: number | 'exact', part = 0, parts = 1) =>
    join(dir, 'edges', `${band === 'exact' ? 'exact' : `band-${pad(band, 3)}`}${parts > 1 ? `.part-${pad(part, 3)}-of-${pad(parts, 3)}` : ''}.bin`),
  annot: (dir: string, phase: 'exact' | 'near') => join(dir, 'annot', `${phase}.bin`),
  annotSection: (task: number) => `task-${pad(task, 6)}`,
  members: (dir: string, task: number | string) => join(dir, 'members', taskFile(task, 'jsonl')),
};

/** A saved index holds one task's worth of files for the docs it remembers (see index.ts). */
export const indexLayout = {
  band: (dir: string, band: number) => join(dir, `band-${pad(band, 3)}.bin`),
  exact: (dir: string) => join(dir, 'exact.bin'),
  sigs: (dir: string) => join(dir, 'sigs.bin'),
  docs: (dir: string) => join(dir, 'docs.bin'),
  meta: (dir: string) => join(dir, 'index.json'),
};

type TaskRef = { task: number; key?: string; index?: { dir: string } };

/** The signatures or doc file of a task of this run, or of an index given as a task. */
export function fileOf(dir: string, t: TaskRef, kind: 'sigs' | 'docs'): string {
  return t.index ? indexLayout[kind](t.index.dir) : layout[kind](dir, t.key ?? t.task);
}

/** Where a task's sorted exact keys or band keys are: a section of its bundle, or an index's own file. */
export function keysOf(dir: string, t: TaskRef, band: number | 'exact'): { path: string; section?: string } {
  if (t.index) return { path: band === 'exact' ? indexLayout.exact(t.index.dir) : indexLayout.band(t.index.dir, band) };
  return { path: layout.keys(dir, t.key ?? t.task), section: layout.keySection(band) };
}

/** An exact-key record: the first 4 words of the text's sha-256, then the row. */
export const EXACT_WIDTH = 5;
export const ANNOT_WIDTH = 4;
export const DOCS_WIDTH = 3;
export const FLAG_EMPTY = 1;
export const ANNOT_REMOVED = 1;

