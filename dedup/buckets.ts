import { RecordReader, RecordSeeker, RecordWriter } from './record-file.js';
import { compareKeys } from './sort-records.js';
import { mergeSorted } from './merge.js';
import { estimatedJaccard } from './minhash.js';
import { fileOf, layout } from './layout.js';
import { rerunHint, taskOfDoc, type TaskInfo } from './task-info.js';
import { RunError } from '../stages/errors.js';

/**
 * Stage 2, buckets: a k-way merge over one band's sorted files from every task (or the exact-hash files).
 * Docs with equal keys are candidates; each member after the first gets one edge to an earlier member, so a
 * group of k docs gives k − 1 edges and the same connected components as all pairs would. Ties sort by task,
 * then row, so the edges are the same on every run.
 */
export interface BucketsJob {
  dir: string;
  band: number | 'exact';
  tasks: TaskInfo[];
  scope: 'within' | 'across' | 'both';
  /** Verify candidate pairs against this estimated-Jaccard threshold (MinHash bands only). */
  verify?: number;
}

export interface BucketsResult {
  band: number | 'exact';
  edges: number;
  candidates: number;
  rejected: number;
}

/** How many earlier members a member is verified against before its candidate edge is rejected. */
const VERIFY_TRIES = 8;

export function runBuckets(job: BucketsJob): BucketsResult {
  const files = job.tasks.map((t) => ({ info: t, path: job.band === 'exact' ? fileOf(job.dir, t, 'exact') : fileOf(job.dir, t, 'band', job.band) }));
  const readers = files.map((f) => new RecordReader(f.path, job.band === 'exact' ? 'exact' : 'band', rerunHint(f.info)));
  const keyWords = (readers[0]?.width ?? 1) - 1;
  // Files of one band written by different zyda versions would compare unlike keys.
  const odd = readers.findIndex((r) => r.width !== keyWords + 1);
  if (odd >= 0) throw new RunError(`${files[odd].path}: records of ${readers[odd].width} words where ${files[0].path} has ${keyWords + 1}; rerun ${rerunHint(files[odd].info)}`);

  const out = new RecordWriter(layout.edges(job.dir, job.band), 'edges', 2);
  const result: BucketsResult = { band: job.band, edges: 0, candidates: 0, rejected: 0 };
  const verifier = job.verify !== undefined ? new Verifier(job.dir, job.tasks, job.verify) : undefined;
  const key = new Uint32Array(keyWords);
  const group: { g: number; source: number }[] = [];
  const flush = () => {
    if (group.length > 1) emitGroup(group, job.scope, out, result, verifier);
    group.length = 0;
  };
  try {
    let first = true;
    for (const rec of mergeSorted(readers, keyWords)) {
      if (first || compareKeys(rec.words, rec.at, key, 0, keyWords) !== 0) {
        flush();
        for (let k = 0; k < keyWords; k++) key[k] = rec.words[rec.at + k];
        first = false;
      }
      const info = files[rec.input].info;
      const g = info.offset + rec.words[rec.at + keyWords];
      group.push({ g, source: info.source });
    }
    flush();
    verifier?.close();
    out.close();
  } catch (err) {
    out.abort();
    throw err;
  }
  return result;
}

/** Edges for one group of equal keys; `within` links members of one source only. */
function emitGroup(group: { g: number; source: number }[], scope: BucketsJob['scope'], out: RecordWriter, result: BucketsResult, verifier?: Verifier): void {
  const parts = scope === 'within' ? bySource(group) : [group];
  for (const members of parts) {
    if (members.length < 2) continue;
    for (let i = 1; i < members.length; i++) {
      result.candidates++;
      if (!verifier) {
        out.write(members[0].g, members[i].g);
        result.edges++;
        continue;
      }
      let linked = false;
      for (let j = 0; j < Math.min(i, VERIFY_TRIES) && !linked; j++) {
        if (verifier.similar(members[j].g, members[i].g)) {
          out.write(members[j].g, members[i].g);
          result.edges++;
          linked = true;
        }
      }
      if (!linked) result.rejected++;
    }
  }
}

function bySource<T extends { source: number }>(group: T[]): T[][] {
  const m = new Map<number, T[]>();
  for (const x of group) {
    const list = m.get(x.source);
    if (list) list.push(x);
    else m.set(x.source, [x]);
  }
  return [...m.values()];
}

/** Fetches signatures by global doc number to check a candidate pair's estimated Jaccard. */
class Verifier {
  private readonly seekers = new Map<number, RecordSeeker>();
  private readonly cache = new Map<number, Uint32Array>();

  constructor(
    private readonly dir: string,
    private readonly tasks: TaskInfo[],
    private readonly threshold: number,
  ) {}

  similar(a: number, b: number): boolean {
    return estimatedJaccard(this.signature(a), this.signature(b)) >= this.threshold;
  }

  private signature(g: number): Uint32Array {
    const hit = this.cache.get(g);
    if (hit) return hit;
    const t = taskOfDoc(this.tasks, g);
    let s = this.seekers.get(t.offset);
    if (!s) {
      s = new RecordSeeker(fileOf(this.dir, t, 'sigs'), 'sigs', rerunHint(t));
      this.seekers.set(t.offset, s);
    }
    const sig = s.read(g - t.offset);
    // Members of one group are looked up together; a small cache covers that, not the whole band.
    if (this.cache.size > 4096) this.cache.clear();
    this.cache.set(g, sig);
    return sig;
  }

  close(): void {
    for (const s of this.seekers.values()) s.close();
  }
}
