import { existsSync } from 'node:fs';
import type { PipelineConfig } from '../core/config-schema.js';
import { stageKind } from '../core/registry.js';
import { manifestPath, readManifest, type Manifest } from './manifest.js';
import type { Task, Warning } from '../core/task.js';

/**
 * `incremental: true`: each run processes only the input files the output has not seen, dedups them against
 * the output's own dedup index (the one its manifest names: the dedup kind's `incremental` adds it), and appends
 * its shards (in a generation folder of their own, so old shards are never touched) with an updated manifest
 * swapped in atomically. The manifest lists every file processed and a history entry per run.
 */
export interface ProcessedFile {
  path: string;
  size: number;
  mtime_ms: number;
  run: number;
}

export interface RunRecord {
  run: number;
  created_at: string;
  files_added: number;
  docs_read: number;
  docs_added: number;
  tokens_added: number;
}

/** The finished output an incremental run adds to, if there is one. */
export function priorOutput(cfg: PipelineConfig): Manifest | undefined {
  if (!cfg.incremental || !existsSync(manifestPath(cfg.output))) return undefined;
  return readManifest(cfg.output);
}

/** This run's number: one more than the output's last. */
export function runNumber(prior: Manifest | undefined): number {
  return (prior?.history?.length ?? 0) + 1;
}

/** Leaves out the tasks of files an earlier run processed; a processed file that changed since is a warning. */
export function newTasks(tasks: Task[], prior: Manifest | undefined, warnings: Warning[]): Task[] {
  if (!prior) return tasks;
  const seen = new Map((prior.files ?? []).map((f) => [f.path, f]));
  const warned = new Set<string>();
  const kept = tasks.filter((t) => {
    const f = seen.get(t.file);
    if (!f) return true;
    if ((f.size !== t.input.size || f.mtime_ms !== t.input.mtime_ms) && !warned.has(t.file)) {
      warned.add(t.file);
      warnings.push({ kind: 'changed_input', message: `${t.file} changed since run ${f.run} processed it; an incremental run does not reprocess files (rerun without incremental to rebuild)` });
    }
    return false;
  });
  return kept.map((t, index) => ({ ...t, index }));
}

/** In an incremental run each stage kind may change its options for the output it adds to (dedup reads its index). */
export function incrementalOptions(cfg: PipelineConfig): void {
  if (!cfg.incremental) return;
  for (const spec of cfg.stages) {
    const def = stageKind(spec.kind);
    if (def.incremental) spec.options = def.incremental(spec.options, cfg.output) as Record<string, unknown>;
  }
}
