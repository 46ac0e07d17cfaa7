import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { zstdNapi } from '../../io/zstd-napi.js';
import type { PhaseReport } from '../../dedup/clusters.js';
import { loadIndexes, ownIndexDir, publishIndex } from '../../dedup/index-file.js';
import { layout } from '../../dedup/layout.js';
import { lshShape, type LshShape } from '../../dedup/lsh-shape.js';
import { dedupOptions, type DedupOptions } from '../../dedup/options.js';
import type { SignatureArtifact } from '../../dedup/signatures.js';
import type { TaskInfo } from '../../dedup/task-info.js';
import { tempPathFor } from '../../core/atomic.js';
import { publishedPath } from '../../runtime/generations.js';
import type { BarrierKind } from '../../core/stage.js';
import { dedupTasks } from './kind.js';
import { formatDedupReport } from './summary.js';

/** What the manifest records of a dedup stage. */
export interface DedupReport {
  docs: number;
  /** Docs with no words after normalisation: never duplicates. */
  empty: number;
  index_docs: number;
  exact?: PhaseReport & { edges: number };
  /** band_collisions and rejected_by_verification count a pair once per band it shares. */
  near?: PhaseReport & { bands: number; rows: number; band_collisions: number; edges: number; rejected_by_verification: number };
}

export interface DedupDecision {
  tasks: TaskInfo[];
  shape: LshShape;
  report: DedupReport;
}

export const dedupStage: BarrierKind<DedupOptions, SignatureArtifact, DedupDecision> = {
  ...dedupTasks,
  description: "remove exact and MinHash near-duplicates within and across sources, keeping the best-ranked source's doc",
  options: dedupOptions,
  // Paths may hold commas, so --index takes several values (and repeats) instead of a comma list.
  cli: { flags: [{ flags: '--index <paths...>', key: 'index', help: '' }] },
  resolve(o, ctx) {
    // One dedup stage: its clusters file and index live at fixed places in the output.
    if (ctx.stages.slice(0, ctx.stageIndex).some((s) => s.kind === 'dedup')) throw ctx.error('a pipeline has at most one dedup stage (exact and near-dedup, with its scope, are options of that one stage)');
    const save_index = typeof o.save_index === 'string' ? ctx.abs(o.save_index) : o.save_index;
    // Bands × rows are worked out here, once: the plan carries them, so no worker repeats the search.
    const shape = o.minhash && o.bands === undefined ? lshShape(o) : {};
    return { ...o, index: o.index.map(ctx.abs), save_index, ...shape };
  },
  incremental(o, output) {
    // Dedup against the output's own index too, and save the combined one back into it.
    const own = ownIndexDir(output);
    return { ...o, index: own && !o.index.includes(own) ? [...o.index, own] : o.index, save_index: true };
  },
  check(o, ctx) {
    loadIndexes(o, lshShape(o), ctx.config.sources.map((s) => s.name));
  },
  report: (decision) => decision.report,
  formatReport: (report, label) => formatDedupReport(label, report as DedupReport),
  published: (o, generation) => ({
    dedup_clusters: publishedPath('dedup', generation, 'clusters.jsonl.zst'),
    ...(o.save_index === true ? { dedup_index: publishedPath('dedup', generation, 'index') } : {}),
  }),
  legacyPublished: ['dedup/clusters.jsonl.zst', 'dedup/index'],
  publish(_o, decision, ctx, key, dest) {
    if (key === 'dedup_clusters') publishMembers(ctx.stageDir, decision.tasks, dest);
    else publishIndex(ctx.stageDir, dest);
  },
  publishOutside(o, _decision, ctx) {
    if (typeof o.save_index === 'string') publishIndex(ctx.stageDir, o.save_index);
  },
};

/**
 * Every cluster member, in task order, as one zstd file of JSON lines beside the shards (`zyda inspect` reads
 * it). Frames hold fixed 4 MB slices of the text, so the file is the same bytes whatever the task split.
 */
function publishMembers(dir: string, tasks: TaskInfo[], dest: string): void {
  const FRAME = 4 << 20;
  mkdirSync(dirname(dest), { recursive: true });
  const tmp = tempPathFor(dest);
  const fd = openSync(tmp, 'w');
  let pending: Buffer[] = [];
  let size = 0;
  const emit = (final: boolean) => {
    let all = Buffer.concat(pending);
    while (all.length >= FRAME || (final && all.length > 0)) {
      writeSync(fd, zstdNapi().compress(all.subarray(0, FRAME), { compressionLevel: 3 }));
      all = all.subarray(Math.min(FRAME, all.length));
    }
    pending = [all];
    size = all.length;
  };
  try {
    for (const t of tasks) {
      if (t.index) continue;
      const path = layout.members(dir, t.key ?? t.task);
      if (!existsSync(path)) continue;
      const text = readFileSync(path);
      pending.push(text);
      size += text.length;
      if (size >= FRAME) emit(false);
    }
    emit(true);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, dest);
}
