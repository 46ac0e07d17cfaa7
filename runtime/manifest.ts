import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StageSpec } from '../core/config-schema.js';
import { ConfigError } from '../core/errors.js';
import type { Warning } from '../core/task.js';
import type { ShardInfo } from '../io/shard-writer.js';
import type { Counts, SourceAccounting } from '../core/types.js';
import type { ProcessedFile, RunRecord } from './incremental.js';

/** A shard as the writer reports it, with `path` made relative to the output directory. */
export type ManifestShard = ShardInfo;

export interface ManifestSource {
  rank: number;
  docs: number;
  tokens: number;
  text_bytes: number;
  bytes: number;
  shards: ManifestShard[];
}

/** <output>/manifest.json: written last, so its presence means the dataset is complete. */
export interface Manifest {
  format_version: number;
  zyda_version: string;
  name: string;
  created_at: string;
  tokenizer: string;
  config_sha256: string;
  stages: StageSpec[];
  totals: { docs: number; tokens: number; text_bytes: number; bytes: number; shards: number };
  sources: Record<string, ManifestSource>;
  accounting: SourceAccounting & { by_source: Record<string, SourceAccounting> };
  /** What barrier stages report, by stage label (`3-dedup`: clusters, removals by source, …). */
  reports: Record<string, unknown>;
  /** The identity of the run's tasks (runtime/steps.ts): a rerun with the same one has nothing to do. */
  run_identity?: string;
  /** Which commit into this output made it (runtime/generations.ts); its new files are in g<generation> folders. */
  generation?: number;
  /** What barrier stages keep beside the shards, by key (`dedup_clusters`, `dedup_index`): paths relative to the output. */
  published?: Record<string, string>;
  /** Paths the previous manifest named and this one does not: kept for readers of that one, removed by the next commit. */
  retired?: string[];
  /** Incremental outputs: every input file processed, and one entry per run. */
  files?: ProcessedFile[];
  history?: RunRecord[];
  warnings: Warning[];
  /** Seconds per phase; like created_at, it differs between otherwise identical runs. */
  timings: Counts;
}

export function manifestPath(outDir: string): string {
  return join(outDir, 'manifest.json');
}

/** The output's manifest, if it has a readable one. */
export function priorManifest(outDir: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(manifestPath(outDir), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

export function readManifest(outDir: string): Manifest {
  const path = manifestPath(outDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`${outDir}: no manifest.json; not a finished zyda output (a run that did not complete leaves none)`);
  }
  try {
    return JSON.parse(text) as Manifest;
  } catch (err) {
    throw new ConfigError(`${path}: not valid JSON (${(err as Error).message})`);
  }
}
