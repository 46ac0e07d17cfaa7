import { ANNOT_REMOVED, ANNOT_WIDTH, DOCS_WIDTH, fileOf, layout } from './layout.js';
import { RecordReader, RecordSeeker, RecordWriter, writeRecords } from './record-file.js';
import { rerunHint, taskOfDoc, type TaskInfo } from './task-info.js';
import { UnionFind } from './union-find.js';

/**
 * Stage 3, clusters: union-find over one phase's edges, then the keep rule in each cluster.
 * - `one` (scopes both and within): keep the member from the best-ranked source, ties to the lowest doc
 *   number (plan order, the same for any worker count or task split); remove the rest.
 * - `best-source` (scope across, Zyda-2's rule): keep every member from the best-ranked source present and
 *   remove the others; a cluster from one source is left alone.
 * Memory: 4 bytes a doc for the union-find and 4 for each cluster's best member, 8 in all.
 */
export interface ClustersJob {
  dir: string;
  phase: 'exact' | 'near';
  edgeFiles: string[];
  tasks: TaskInfo[];
  keep: 'one' | 'best-source';
  sourceNames: string[];
}

export interface PhaseReport {
  clusters: number;
  /** Docs removed, per source. */
  removed: Record<string, number>;
  /** removed_by[loser source][winner source]: which source lost docs to which. */
  removed_by: Record<string, Record<string, number>>;
  /** How many clusters have each size (sizes from 10 up are bucketed as "10-99", "100-999", "1000+"). */
  cluster_sizes: Record<string, number>;
}

export function runClusters(job: ClustersJob): PhaseReport {
  const last = job.tasks[job.tasks.length - 1];
  const total = last ? last.offset + last.count : 0;
  const uf = new UnionFind(total);
  for (const path of job.edgeFiles) {
    for (const chunk of new RecordReader(path, 'edges', `dedup buckets (${path})`).chunks()) {
      for (let i = 0; i < chunk.length; i += 2) uf.union(chunk[i], chunk[i + 1]);
    }
  }

  // Best member per root: lowest (rank, source position, doc number). Docs come in ascending order, so a
  // later doc replaces the best only when its (rank, source) is strictly better.
  const best = new Uint32Array(total).fill(0xffffffff);
  const rankOfBest = (w: number) => taskOfDoc(job.tasks, w);
  for (const t of job.tasks) {
    for (let g = t.offset; g < t.offset + t.count; g++) {
      const r = uf.find(g);
      if (uf.sizeOf(r) < 2) continue;
      const w = best[r];
      if (w === 0xffffffff) best[r] = g;
      else {
        const bt = rankOfBest(w);
        if (t.rank < bt.rank || (t.rank === bt.rank && t.source < bt.source)) best[r] = g;
      }
    }
  }

  const report: PhaseReport = { clusters: 0, removed: {}, removed_by: {}, cluster_sizes: {} };
  for (const name of job.sourceNames) report.removed[name] = 0;
  const removedBits = job.phase === 'exact' ? new Uint32Array(Math.ceil(total / 32)) : undefined;
  const ids = new RepIds(job.dir, job.tasks);
  for (const t of job.tasks) {
    if (t.index) continue;
    const out = new RecordWriter(layout.annot(job.dir, job.phase, t.task), 'annot', ANNOT_WIDTH);
    for (let g = t.offset; g < t.offset + t.count; g++) {
      const r = uf.find(g);
      const size = uf.sizeOf(r);
      if (size < 2) continue;
      const w = best[r];
      const wt = taskOfDoc(job.tasks, w);
      const removed = job.keep === 'one' ? g !== w : t.source !== wt.source;
      if (g === w) {
        report.clusters++;
        const bucket = size < 10 ? String(size) : size < 100 ? '10-99' : size < 1000 ? '100-999' : '1000+';
        report.cluster_sizes[bucket] = (report.cluster_sizes[bucket] ?? 0) + 1;
      }
      if (removed) {
        report.removed[t.sourceName]++;
        const by = (report.removed_by[t.sourceName] ??= {});
        by[wt.sourceName] = (by[wt.sourceName] ?? 0) + 1;
        if (removedBits) removedBits[g >>> 5] |= 1 << (g & 31);
      }
      const [hi, lo] = ids.of(w, wt);
      out.write(g - t.offset, removed ? ANNOT_REMOVED : 0, size, w, hi, lo);
    }
    out.close();
  }
  // Clusters whose best member is an index entry: count them once, at that entry.
  for (const t of job.tasks) if (t.index) for (let g = t.offset; g < t.offset + t.count; g++) if (uf.sizeOf(uf.find(g)) > 1 && best[uf.find(g)] === g) report.clusters++;
  ids.close();
  if (removedBits) writeRecords(layout.removedExact(job.dir), 'bits', 1, removedBits);
  return report;
}

/** The id hashes of cluster representatives, read from their tasks' doc files on demand. */
class RepIds {
  private readonly seekers = new Map<number, RecordSeeker>();
  private readonly buf = new Uint32Array(DOCS_WIDTH);

  constructor(
    private readonly dir: string,
    private readonly tasks: TaskInfo[],
  ) {}

  of(g: number, t: TaskInfo): [number, number] {
    let s = this.seekers.get(t.offset);
    if (!s) {
      s = new RecordSeeker(fileOf(this.dir, t, 'docs'), 'docs', rerunHint(t));
      this.seekers.set(t.offset, s);
    }
    s.read(g - t.offset, this.buf);
    return [this.buf[0], this.buf[1]];
  }

  close(): void {
    for (const s of this.seekers.values()) s.close();
  }
}
