import { ANNOT_REMOVED, ANNOT_WIDTH, layout } from './layout.js';
import { BundleWriter } from './bundle-file.js';
import { RecordReader, RecordWriter } from './record-file.js';
import { taskOfDoc, type TaskInfo } from './task-info.js';
import { UnionFind } from './union-find.js';

/**
 * Stage 3, clusters: union-find over the edges, then the keep rule in each cluster.
 * - `one` (scopes both and within): keep the member from the best-ranked source, ties to the lowest doc
 *   number (plan order, the same for any worker count or task split); remove the rest.
 * - `best-source` (scope across, Zyda-2's rule): keep every member from the best-ranked source present and
 *   remove the others; a cluster from one source is left alone.
 * Exact clusters come first. A near-duplicate edge that touches a doc removed as an exact duplicate is moved
 * to the doc that doc lost to: their normalised texts are equal, so they share every band, and moving the
 * edge keeps the near clusters connected without the removed doc. So the band buckets need not wait for
 * the exact phase. Memory: 4 bytes a doc per union-find and 4 for each cluster's best member, 16 in all.
 */
export interface ClustersJob {
  dir: string;
  exact: boolean;
  /** MinHash bands whose edges make the near-duplicate clusters; 0 when MinHash is off. */
  bands: number;
  /** The parts each band's (and the exact keys') edges were written in (bucket-parts.ts); 1 by default. */
  parts?: number;
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

export interface ClustersResult {
  exact?: PhaseReport;
  near?: PhaseReport;
}

interface Components {
  uf: UnionFind;
  best: Uint32Array;
}

export function runClusters(job: ClustersJob): ClustersResult {
  const last = job.tasks[job.tasks.length - 1];
  const total = last ? last.offset + last.count : 0;
  const result: ClustersResult = {};
  let moveTo = (g: number) => g;
  const parts = job.parts ?? 1;
  // A band's parts in order hold its edges in the order of one whole-band task: the same unions, in the same order.
  const edgeFiles = (band: number | 'exact') => Array.from({ length: parts }, (_, p) => layout.edges(job.dir, band, p, parts));
  if (job.exact) {
    const exact = components(job, edgeFiles('exact'), total, moveTo);
    result.exact = annotate(job, 'exact', exact);
    moveTo = (g) => {
      const w = exact.best[exact.uf.find(g)];
      return w !== 0xffffffff && isRemoved(job, g, w) ? w : g;
    };
  }
  if (job.bands > 0) {
    const files = Array.from({ length: job.bands }, (_, b) => edgeFiles(b)).flat();
    result.near = annotate(job, 'near', components(job, files, total, moveTo));
  }
  return result;
}

function components(job: ClustersJob, edgeFiles: string[], total: number, moveTo: (g: number) => number): Components {
  const uf = new UnionFind(total);
  for (const path of edgeFiles) {
    for (const chunk of new RecordReader(path, 'edges', `dedup buckets (${path})`).chunks()) {
      for (let i = 0; i < chunk.length; i += 2) uf.union(moveTo(chunk[i]), moveTo(chunk[i + 1]));
    }
  }
  // Best member per root: lowest (rank, source position, doc number). Docs come in ascending order, so a
  // later doc replaces the best only when its (rank, source) is strictly better.
  const best = new Uint32Array(total).fill(0xffffffff);
  for (const t of job.tasks) {
    for (let g = t.offset; g < t.offset + t.count; g++) {
      if (uf.alone(g)) continue;
      const r = uf.find(g);
      const w = best[r];
      if (w === 0xffffffff) best[r] = g;
      else {
        const bt = taskOfDoc(job.tasks, w);
        if (t.rank < bt.rank || (t.rank === bt.rank && t.source < bt.source)) best[r] = g;
      }
    }
  }
  return { uf, best };
}

function isRemoved(job: ClustersJob, g: number, w: number): boolean {
  return job.keep === 'one' ? g !== w : taskOfDoc(job.tasks, g).source !== taskOfDoc(job.tasks, w).source;
}

/** Writes one phase's annotations, a bundle section per task, and counts what it removed. */
function annotate(job: ClustersJob, phase: 'exact' | 'near', components: Components): PhaseReport {
  // One file per phase: a file per task would cost the step an open, a write and a rename for each.
  const bundle = new BundleWriter(layout.annot(job.dir, phase));
  try {
    const report = annotateInto(bundle, job, components);
    bundle.close();
    return report;
  } catch (err) {
    bundle.abort();
    throw err;
  }
}

function annotateInto(bundle: BundleWriter, job: ClustersJob, { uf, best }: Components): PhaseReport {
  const report: PhaseReport = { clusters: 0, removed: {}, removed_by: {}, cluster_sizes: {} };
  for (const name of job.sourceNames) report.removed[name] = 0;
  for (const t of job.tasks) {
    if (t.index) {
      // Clusters whose best member is an index entry: count them once, at that entry.
      for (let g = t.offset; g < t.offset + t.count; g++) if (!uf.alone(g) && best[uf.find(g)] === g) report.clusters++;
      continue;
    }
    const out = new RecordWriter(bundle.section(layout.annotSection(t.task)), 'annot', ANNOT_WIDTH);
    for (let g = t.offset; g < t.offset + t.count; g++) {
      if (uf.alone(g)) continue;
      const r = uf.find(g);
      const size = uf.sizeOf(r);
      const w = best[r];
      const wt = taskOfDoc(job.tasks, w);
      const removed = isRemoved(job, g, w);
      if (g === w) {
        report.clusters++;
        const bucket = size < 10 ? String(size) : size < 100 ? '10-99' : size < 1000 ? '100-999' : '1000+';
        report.cluster_sizes[bucket] = (report.cluster_sizes[bucket] ?? 0) + 1;
      }
      if (removed) {
        report.removed[t.sourceName]++;
        const by = (report.removed_by[t.sourceName] ??= {});
        by[wt.sourceName] = (by[wt.sourceName] ?? 0) + 1;
      }
      out.write(g - t.offset, removed ? ANNOT_REMOVED : 0, size, w);
    }
    out.close();
  }
  return report;
}
