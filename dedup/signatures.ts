import { fmix32 } from '../core/hash.js';
import type { Collector } from '../core/stage.js';
import type { Doc } from '../core/types.js';
import { BAND_RECORD_WIDTH, bandKey } from './band-key.js';
import { docHasher } from './doc-signature.js';
import { DOCS_WIDTH, EXACT_WIDTH, FLAG_EMPTY, layout } from './layout.js';
import type { LshShape } from './lsh-shape.js';
import type { DedupOptions } from './options.js';
import { rmSync, statSync } from 'node:fs';
import { mergeSorted } from './merge.js';
import { BundleWriter } from './bundle-file.js';
import { RecordReader, RecordWriter, writeRecords, type SectionSink } from './record-file.js';
import { sortRecords } from './sort-records.js';

/** What one task's signature pass reports to the reduce step. */
export interface SignatureArtifact {
  /** The task's key (runtime/task-key.ts), which names its files. */
  key: string;
  docs: number;
  /** Docs with no words after normalisation: never duplicates. */
  empty: number;
  /** Every file the task wrote, with its size, so a rerun can tell a damaged one and redo the task. */
  files: { path: string; bytes: number }[];
}

/** Band records a task holds before it sorts them and spills a run to disk (all bands together); the env var is for tuning and tests. */
const SPILL_BYTES = Number(process.env.ZYDA_DEDUP_SPILL_BYTES) || 256 << 20;

/** A growable array of u32 words. */
class Words {
  data = new Uint32Array(1024);
  length = 0;
  /** One record: `count` words of `from` starting at `at`, then `last`. */
  pushRecord(from: Uint32Array, at: number, count: number, last: number): void {
    if (this.length + count + 1 > this.data.length) this.grow();
    const d = this.data;
    let n = this.length;
    for (let i = at, end = at + count; i < end; i++) d[n++] = from[i];
    d[n++] = last;
    this.length = n;
  }
  private grow(): void {
    const next = new Uint32Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }
  view(): Uint32Array {
    return this.data.subarray(0, this.length);
  }
  clear(): void {
    this.data = new Uint32Array(1024);
    this.length = 0;
  }
}

/**
 * One band's (or the exact keys') records for one task. Memory stays bounded whatever the task's size: past
 * the spill budget, the buffer is sorted and written as a run, and the runs are merged at the end. Runs hold
 * rows in order, and the merge keeps input order on equal keys, so the result is the same as one sort.
 */
class SortedRecords {
  private readonly buf = new Words();
  private readonly runs: string[] = [];

  /** `runPrefix` names the run files spilled to disk. */
  constructor(
    private readonly runPrefix: string,
    private readonly kind: 'band' | 'exact',
    readonly width: number,
  ) {}

  get words(): Words {
    return this.buf;
  }

  spill(): void {
    const run = `${this.runPrefix}.run-${this.runs.length}`;
    writeRecords(run, this.kind, this.width, sortRecords(this.buf.view(), this.width, this.width - 1));
    this.runs.push(run);
    this.buf.clear();
  }

  /** Writes the sorted records as a section of the task's bundle. */
  finish(into: SectionSink, rerun: string): void {
    if (this.runs.length === 0) {
      writeRecords(into, this.kind, this.width, sortRecords(this.buf.view(), this.width, this.width - 1));
      return;
    }
    if (this.buf.length > 0) this.spill();
    const out = new RecordWriter(into, this.kind, this.width);
    const rec = new Uint32Array(this.width);
    for (const m of mergeSorted(this.runs.map((r) => new RecordReader(r, this.kind, rerun)), this.width - 1)) {
      for (let k = 0; k < this.width; k++) rec[k] = m.words[m.at + k];
      out.writeWords(rec);
    }
    out.close();
    for (const r of this.runs) rmSync(r, { force: true });
  }
}

const ID_SEED_HI = 0x5bd1e995;
const ID_SEED_LO = 0x1b873593;

/**
 * The stable 64-bit identity of a doc id, as two words: cluster ids and index entries are made of it. It is
 * [hash32(id, ID_SEED_HI), hash32(id, ID_SEED_LO)], with the two FNV chains run in one loop over the id.
 */
export function idHash(id: string): [number, number] {
  let hi = 0x811c9dc5 ^ ID_SEED_HI;
  let lo = 0x811c9dc5 ^ ID_SEED_LO;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    hi = Math.imul(hi ^ c, 0x01000193);
    lo = Math.imul(lo ^ c, 0x01000193);
  }
  return [fmix32(hi >>> 0), fmix32(lo >>> 0)];
}

export function clusterIdOf(hi: number, lo: number): string {
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

/**
 * Stage 1, signatures: per doc of one task, the exact key, the MinHash signature, its band keys, and the
 * doc's id hash. At the end each band's records are sorted and written with a checksum.
 */
export function signatureCollector(o: DedupOptions, shape: LshShape, key: string, dir: string): Collector<SignatureArtifact> {
  return new SignatureCollector(o, shape, key, dir);
}

/**
 * One hasher per options per thread: its set-up (permutations, the wasm kernels) is not redone per task, and the
 * call to it stays the same function, which code compiled for an earlier task inlined. Its signature buffer is
 * read before the next call, as add() does.
 */
const hashers = new Map<string, ReturnType<typeof docHasher>>();

function hasherFor(o: DedupOptions): ReturnType<typeof docHasher> {
  const key = JSON.stringify(o);
  let h = hashers.get(key);
  if (!h) hashers.set(key, (h = docHasher(o)));
  return h;
}

/**
 * A class, not a closure per task: its methods are then one function per thread, whose compiled code every
 * task reuses, where each task's new closures would be compiled anew.
 */
class SignatureCollector implements Collector<SignatureArtifact> {
  private readonly hasher: ReturnType<typeof docHasher>;
  private readonly keysPath: string;
  private readonly bandRecords: SortedRecords[];
  private readonly exactRecords: SortedRecords;
  private readonly bands: Words[];
  private readonly exact: Words;
  private readonly sigs: RecordWriter | undefined;
  private readonly docs: RecordWriter;
  private readonly none: Uint32Array;
  private row = 0;
  private empty = 0;
  private readonly docRecord = new Uint32Array(DOCS_WIDTH);
  private readonly bandKeyWords = new Uint32Array(BAND_RECORD_WIDTH - 1);

  constructor(
    private readonly o: DedupOptions,
    private readonly shape: LshShape,
    private readonly key: string,
    private readonly dir: string,
  ) {
    this.hasher = hasherFor(o);
    this.keysPath = layout.keys(dir, key);
    this.bandRecords = o.minhash ? Array.from({ length: shape.bands }, (_, b) => new SortedRecords(`${this.keysPath}.${layout.keySection(b)}`, 'band', BAND_RECORD_WIDTH)) : [];
    this.exactRecords = new SortedRecords(`${this.keysPath}.exact`, 'exact', EXACT_WIDTH);
    this.bands = this.bandRecords.map((r) => r.words);
    this.exact = this.exactRecords.words;
    this.sigs = o.minhash ? new RecordWriter(layout.sigs(dir, key), 'sigs', o.num_perm) : undefined;
    this.docs = new RecordWriter(layout.docs(dir, key), 'docs', DOCS_WIDTH);
    this.none = new Uint32Array(o.num_perm).fill(0xffffffff);
  }

  private heldBytes(): number {
    return 4 * (this.exact.length + this.bands.reduce((n, w) => n + w.length, 0));
  }

  add(batch: Doc[]): void {
    const { docRecord, bandKeyWords, bands, shape, sigs } = this;
    for (const doc of batch) {
      const keys = this.hasher(doc.text);
      const [hi, lo] = idHash(doc.id);
      const isEmpty = keys.exact === undefined && keys.signature === undefined;
      if (isEmpty) this.empty++;
      docRecord[0] = hi;
      docRecord[1] = lo;
      docRecord[2] = isEmpty ? FLAG_EMPTY : 0;
      this.docs.writeWords(docRecord);
      if (keys.exact) {
        this.exact.pushRecord(keys.exact, 0, keys.exact.length, this.row);
      }
      if (sigs) {
        const sig = keys.signature ?? this.none;
        sigs.writeWords(sig);
        if (keys.signature) {
          for (let b = 0; b < bands.length; b++) {
            bandKey(sig, b * shape.rows, shape.rows, bandKeyWords, 0);
            bands[b].pushRecord(bandKeyWords, 0, BAND_RECORD_WIDTH - 1, this.row);
          }
        }
      }
      this.row++;
    }
    if (this.heldBytes() > SPILL_BYTES) for (const r of [...(this.o.exact ? [this.exactRecords] : []), ...this.bandRecords]) r.spill();
  }

  finish(): SignatureArtifact {
    const { o, dir, key, keysPath } = this;
    this.docs.close();
    this.sigs?.close();
    const rerun = `dedup signatures for the task of key ${key}`;
    const keys = new BundleWriter(keysPath);
    if (o.exact) this.exactRecords.finish(keys.section(layout.keySection('exact')), rerun);
    this.bandRecords.forEach((r, b) => r.finish(keys.section(layout.keySection(b)), rerun));
    keys.close();
    const paths = [layout.docs(dir, key), ...(o.minhash ? [layout.sigs(dir, key)] : []), keysPath];
    return { key, docs: this.row, empty: this.empty, files: paths.map((path) => ({ path, bytes: statSync(path).size })) };
  }
}
