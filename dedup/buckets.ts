import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { RecordWriter } from './record-file.js';
import { compareKeys } from './sort-records.js';
import { BAND_RECORD_WIDTH } from './band-key.js';
import { mergeInRounds } from './merge-rounds.js';
import { sortInMemory } from './merge-in-memory.js';
import { keyRange } from './bucket-parts.js';
import { DocRecords } from './seekers.js';
import { estimatedJaccard } from './minhash.js';
import { EXACT_WIDTH, keysOf, layout } from './layout.js';
import { rerunHint, taskOfDoc, type TaskInfo } from './task-info.js';

/**
 * Stage 2, buckets: one band's sorted keys from every task (or the exact keys), sorted together in memory
 * (merge-in-memory.ts) or, past that size, merged k-way (merge-rounds.ts); or one key range of them (bucket-parts.ts).
 * Docs with equal keys are candidates; each member after the first gets one edge to an earlier member, so a
 * group of k docs gives k − 1 edges and the same connected components as all pairs would. Ties sort by task,
 * then row, so the edges are the same on every run.
 */
export interface BucketsJob {
  dir: string;
  band: number | 'exact';
  /** Which part of the band's keys this task merges, of how many (bucket-parts.ts); the whole band by default. */
  part?: number;
  parts?: number;
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

/**
 * Up to this many records a task sorts its keys in memory (about 40 bytes a record at the peak) rather than
 * merging the sorted files; the env var is for tests.
 */
const IN_MEMORY_RECORDS = Number(process.env.ZYDA_DEDUP_IN_MEMORY_RECORDS ?? 1 << 20);

/** How many earlier members a member is verified against before its candidate edge is rejected. */
const VERIFY_TRIES = 8;

export function runBuckets(job: BucketsJob): BucketsResult {
  const inputs = job.tasks.map((t) => ({ ...keysOf(job.dir, t, job.band), rerun: rerunHint(t), offset: t.offset }));
  const keyWords = job.band === 'exact' ? EXACT_WIDTH - 1 : BAND_RECORD_WIDTH - 1;
  const { part = 0, parts = 1 } = job;
  const spillDir = join(job.dir, 'merge', `${job.band === 'exact' ? 'exact' : `band-${job.band}`}${parts > 1 ? `.part-${part}` : ''}`);
  rmSync(spillDir, { recursive: true, force: true });

  const out = new RecordWriter(layout.edges(job.dir, job.band, part, parts), 'edges', 2);
  const result: BucketsResult = { band: job.band, edges: 0, candidates: 0, rejected: 0 };
  const verifier = job.verify !== undefined ? new Verifier(job.dir, job.tasks, job.verify) : undefined;
  const key = new Uint32Array(keyWords);
  // Global doc numbers of the current key's records; most keys have one, so sources are looked up only for more.
  const group: number[] = [];
  const flush = () => {
    if (group.length > 1) emitGroup(group.map((g) => ({ g, source: taskOfDoc(job.tasks, g).source })), job.scope, out, result, verifier);
    group.length = 0;
  };
  try {
    let first = true;
    const range = parts > 1 ? keyRange(part, parts) : undefined;
    const kind = job.band === 'exact' ? 'exact' : 'band';
    const last = job.tasks[job.tasks.length - 1];
    // A record per doc at most, spread evenly over the parts by the keys' hashes.
    const records = last ? (last.offset + last.count) / parts : 0;
    const stream = records <= IN_MEMORY_RECORDS ? sortInMemory(inputs, kind, keyWords, range) : mergeInRounds(inputs, kind, keyWords, spillDir, range);
    for (const rec of stream) {
      if (first || compareKeys(rec.words, rec.at, key, 0, keyWords) !== 0) {
        flush();
        for (let k = 0; k < keyWords; k++) key[k] = rec.words[rec.at + k];
        first = false;
      }
      group.push(rec.words[rec.at + keyWords]);
    }
    flush();
    verifier?.close();
    out.close();
  } catch (err) {
    out.abort();
    throw err;
  } finally {
    rmSync(spillDir, { recursive: true, force: true });
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
  private readonly sigs: DocRecords;
  private readonly cache = new Map<number, Uint32Array>();

  constructor(
    dir: string,
    tasks: TaskInfo[],
    private readonly threshold: number,
  ) {
    this.sigs = new DocRecords(dir, tasks, 'sigs');
  }

  similar(a: number, b: number): boolean {
    return estimatedJaccard(this.signature(a), this.signature(b)) >= this.threshold;
  }

  private signature(g: number): Uint32Array {
    const hit = this.cache.get(g);
    if (hit) return hit;
    const sig = this.sigs.read(g);
    // Members of one group are looked up together; a small cache covers that, not the whole band.
    if (this.cache.size > 4096) this.cache.clear();
    this.cache.set(g, sig);
    return sig;
  }

  close(): void {
    this.sigs.close();
  }
}
