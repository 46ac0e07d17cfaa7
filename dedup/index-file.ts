import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempPathFor, writeJsonAtomic } from '../core/atomic.js';
import { ConfigError, RunError } from '../core/errors.js';
import { staysInside } from '../runtime/generations.js';
import { priorManifest } from '../runtime/manifest.js';
import { BAND_RECORD_WIDTH } from './band-key.js';
import { ANNOT_REMOVED, ANNOT_WIDTH, DOCS_WIDTH, EXACT_WIDTH, fileOf, indexLayout, keysOf } from './layout.js';
import { mergeInRounds, type SortedInput } from './merge-rounds.js';
import type { LshShape } from './lsh-shape.js';
import type { DedupOptions } from './options.js';
import { NORMALIZE_VERSIONS } from './normalize-versions.js';
import { readAnnotations } from './annotations.js';
import { RecordReader, RecordWriter } from './record-file.js';
import { INDEX_RANK, rerunHint, type TaskInfo } from './task-info.js';

/**
 * A saved dedup index: the exact keys, band records, signatures and id hashes of every doc a run kept, one
 * part per source, so a later run can dedup new data against it without rereading the old corpus. Its docs
 * always win. Layout: <index>/index.json (written last: its presence means the index is complete) and
 * <index>/parts/<source>/{docs,sigs,exact,band-BBB}.bin in the formats of layout.ts.
 */
/** 2: band records hold a 64-bit band key (band-key.ts) instead of the band's values. */
const INDEX_FORMAT = 2;

interface IndexMeta {
  format: number;
  /** The options that decide what a signature means; an index only works with the same ones. */
  fingerprint: Record<string, unknown>;
  parts: { source: string; docs: number }[];
}

function fingerprint(o: DedupOptions, shape: LshShape): Record<string, unknown> {
  return { exact: o.exact, minhash: o.minhash, normalize: o.normalize, normalize_version: o.normalize === 'none' ? 1 : NORMALIZE_VERSIONS[o.normalize], strip_accents: o.strip_accents, digits_to_zero: o.digits_to_zero, ngram: o.char_ngram ? undefined : o.ngram, char_ngram: o.char_ngram, num_perm: o.num_perm, seed: o.seed, compat: o.compat, ...shape };
}

/** An index path may be the index itself or a zyda output that saved one (where its manifest says). */
export function resolveIndexDir(path: string): string {
  if (existsSync(join(path, 'index.json'))) return path;
  const own = ownIndexDir(path);
  if (own) return own;
  if (existsSync(join(path, 'manifest.json'))) throw new ConfigError(`dedup index ${path}: a zyda output without a dedup index; rerun it with dedup save_index: true, or point at a saved index`);
  throw new ConfigError(`dedup index ${path}: no index.json here or in dedup/index; it is not a finished dedup index`);
}

/** The index a zyda output's manifest names (an output made before generations kept it in dedup/index). */
export function ownIndexDir(outDir: string): string | undefined {
  const m = priorManifest(outDir);
  if (!m) return undefined;
  const rel = m.published?.dedup_index ?? (m.generation === undefined ? 'dedup/index' : undefined);
  if (rel === undefined || !staysInside(rel)) return undefined;
  const dir = join(outDir, rel);
  return existsSync(join(dir, 'index.json')) ? dir : undefined;
}

/** The index parts as tasks of their own (task and offset are filled in by the caller). */
export function loadIndexes(o: DedupOptions, shape: LshShape, sourceNames: string[]): Omit<TaskInfo, 'task' | 'offset'>[] {
  const want = JSON.stringify(fingerprint(o, shape));
  // Sources the config does not name get numbers of their own, after the config's.
  const unknown = new Map<string, number>();
  const numberOf = (name: string) => {
    const known = sourceNames.indexOf(name);
    if (known >= 0) return known;
    if (!unknown.has(name)) unknown.set(name, sourceNames.length + unknown.size);
    return unknown.get(name)!;
  };
  return o.index.flatMap((path) => {
    const dir = resolveIndexDir(path);
    const meta = JSON.parse(readFileSync(indexLayout.meta(dir), 'utf8')) as IndexMeta;
    if (meta.format !== INDEX_FORMAT) throw new ConfigError(`dedup index ${dir}: format ${meta.format}, this zyda reads ${INDEX_FORMAT}`);
    if (JSON.stringify(meta.fingerprint) !== want) {
      throw new ConfigError(`dedup index ${dir} was built with other dedup options (${JSON.stringify(meta.fingerprint)}) than this stage's (${want}); signatures would not match`);
    }
    return meta.parts.map((p) => ({ source: numberOf(p.source), sourceName: p.source, rank: INDEX_RANK, count: p.docs, index: { dir: join(dir, 'parts', p.source) } }));
  });
}

/** Where a run stages the index it saves; `publish` moves it to save_index (or the output) at commit. */
export const stagedIndexDir = (dir: string) => join(dir, 'index-new');

/**
 * Writes the index of this run's kept docs plus the index entries it was given, per source, merging each
 * band's sorted files, so memory stays at one chunk per input plus a row map of 4 bytes a doc.
 */
export function saveIndex(o: DedupOptions, shape: LshShape, dir: string, tasks: TaskInfo[]): void {
  const out = stagedIndexDir(dir);
  rmSync(out, { recursive: true, force: true });
  const meta: IndexMeta = { format: INDEX_FORMAT, fingerprint: fingerprint(o, shape), parts: [] };
  const sources = [...new Set(tasks.map((t) => t.sourceName))];
  for (const source of sources) {
    const members = tasks.filter((t) => t.sourceName === source);
    const part = join(out, 'parts', source);
    // New row of every kept doc, per input; −1 for a removed one.
    const rowMaps: Int32Array[] = [];
    let next = 0;
    for (const t of members) {
      const removed = removedRows(dir, t);
      const map = new Int32Array(t.count);
      for (let r = 0; r < t.count; r++) map[r] = removed.has(r) ? -1 : next++;
      rowMaps.push(map);
    }
    copyRows(members, rowMaps, (t) => fileOf(dir, t, 'docs'), indexLayout.docs(part), 'docs', DOCS_WIDTH);
    if (o.minhash) copyRows(members, rowMaps, (t) => fileOf(dir, t, 'sigs'), indexLayout.sigs(part), 'sigs', o.num_perm);
    if (o.exact) mergeRows(dir, members, rowMaps, (t) => keysOf(dir, t, 'exact'), indexLayout.exact(part), 'exact', EXACT_WIDTH);
    if (o.minhash) for (let b = 0; b < shape.bands; b++) mergeRows(dir, members, rowMaps, (t) => keysOf(dir, t, b), indexLayout.band(part, b), 'band', BAND_RECORD_WIDTH);
    meta.parts.push({ source, docs: next });
  }
  writeJsonAtomic(indexLayout.meta(out), meta);
}

function removedRows(dir: string, t: TaskInfo): Set<number> {
  const rows = new Set<number>();
  if (t.index) return rows;
  for (const phase of ['exact', 'near'] as const) {
    const a = readAnnotations(dir, phase, t.task);
    for (let i = 0; i < a.length; i += ANNOT_WIDTH) if (a[i + 1] & ANNOT_REMOVED) rows.add(a[i]);
  }
  return rows;
}

/** Row-indexed files (docs, sigs): the kept rows of each input, in input order. */
function copyRows(inputs: TaskInfo[], maps: Int32Array[], path: (t: TaskInfo) => string, dest: string, kind: 'docs' | 'sigs', width: number): void {
  const w = new RecordWriter(dest, kind, width);
  inputs.forEach((t, i) => {
    let row = 0;
    for (const chunk of new RecordReader(path(t), kind, rerunHint(t)).chunks()) {
      for (let at = 0; at < chunk.length; at += width, row++) if (maps[i][row] >= 0) w.writeWords(chunk.subarray(at, at + width));
    }
  });
  w.close();
}

/** Key-sorted files (exact, bands): merged across inputs, rows renumbered, removed rows left out. */
function mergeRows(spillDir: string, inputs: TaskInfo[], maps: Int32Array[], keys: (t: TaskInfo) => { path: string; section?: string }, dest: string, kind: 'exact' | 'band', width: number): void {
  const w = new RecordWriter(dest, kind, width);
  const rec = new Uint32Array(width);
  // The merge numbers rows across the inputs; one map over all of them turns that into the new row.
  const flat = new Int32Array(maps.reduce((n, m) => n + m.length, 0));
  const sorted: SortedInput[] = [];
  let offset = 0;
  inputs.forEach((t, i) => {
    flat.set(maps[i], offset);
    sorted.push({ ...keys(t), rerun: rerunHint(t), offset });
    offset += maps[i].length;
  });
  for (const m of mergeInRounds(sorted, kind, width - 1, join(spillDir, 'merge', 'index'))) {
    const row = flat[m.words[m.at + width - 1]];
    if (row < 0) continue;
    for (let k = 0; k < width - 1; k++) rec[k] = m.words[m.at + k];
    rec[width - 1] = row;
    w.writeWords(rec);
  }
  w.close();
}

/**
 * Puts the staged index at `dest`: linked (or copied) file by file into a temporary folder beside it, then
 * renamed into place. The staged index stays, so a rerun that reuses this dedup decision publishes it again.
 */
export function publishIndex(dir: string, dest: string): void {
  const staged = stagedIndexDir(dir);
  if (!existsSync(indexLayout.meta(staged))) throw new RunError(`${staged}: the dedup index this run saves is missing; rerun with --force`);
  mkdirSync(dirname(dest), { recursive: true });
  const tmp = tempPathFor(dest);
  linkTree(staged, tmp);
  const old = `${dest}.old-${process.pid}`;
  if (existsSync(dest)) renameSync(dest, old);
  renameSync(tmp, dest);
  rmSync(old, { recursive: true, force: true });
}

/** A hard link costs no space; across filesystems (or where links are refused) the file is copied. */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const [src, dst] = [join(from, entry.name), join(to, entry.name)];
    if (entry.isDirectory()) linkTree(src, dst);
    else {
      try {
        linkSync(src, dst);
      } catch {
        copyFileSync(src, dst);
      }
    }
  }
}
