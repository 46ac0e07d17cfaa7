import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, type FileMetaData } from 'hyparquet';
import { ConfigError } from '../core/errors.js';
import { sampleIndices } from '../core/prng.js';
import { manifestPath, readManifest, type Manifest } from '../runtime/manifest.js';
import { readCompressors } from '../io/parquet-codecs.js';
import type { PlanFile } from '../runtime/plan-file.js';

export interface HeadOptions {
  lines: number;
  source?: string;
  json?: boolean;
  chars: number;
  reason?: string;
  sample?: number;
  seed: number;
}

/** The rows of one shard that `head` may print: all of them, or those of the reason asked for. */
interface ShardRows {
  file: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  metadata: FileMetaData;
  /** Row numbers when filtered by reason; otherwise every row up to `count`. */
  rows?: number[];
  count: number;
}

/** `zyda head`: the first docs of an output, a sample of them, or the rejected docs of one reason. */
export async function printHead(dir: string, opts: HeadOptions): Promise<void> {
  const from = opts.reason === undefined ? dir : await rejectedOutputOf(dir);
  const m = readManifest(from);
  if (opts.source && !m.sources[opts.source]) throw new ConfigError(`no source ${opts.source} in ${from} (sources: ${Object.keys(m.sources).join(', ')})`);
  const shards = await candidateRows(from, m, opts);
  const total = shards.reduce((n, s) => n + s.count, 0);
  if (opts.reason !== undefined && total === 0) process.stderr.write(`no rejected docs with reason ${opts.reason} in ${from}\n`);
  const picks = opts.sample === undefined ? [...Array(Math.min(opts.lines, total)).keys()] : sampleIndices(total, opts.sample, opts.seed);
  let base = 0;
  let next = 0;
  for (const shard of shards) {
    const rows: number[] = [];
    for (; next < picks.length && picks[next] < base + shard.count; next++) rows.push(shard.rows ? shard.rows[picks[next] - base] : picks[next] - base);
    base += shard.count;
    for (const [start, end] of runsOf(rows)) {
      for (const r of await parquetReadObjects({ file: shard.file, metadata: shard.metadata, rowStart: start, rowEnd: end, compressors: readCompressors })) print(r, opts);
    }
  }
}

/**
 * Where a run kept its rejected docs: `dir` itself when its shards have a reason column, else the keep_rejected
 * directory of the plan in its default workdir.
 */
async function rejectedOutputOf(dir: string): Promise<string> {
  const plan = join(dir, '.zyda', 'plan.json');
  if (await hasReasonColumn(dir, readManifest(dir))) return dir;
  const kept = existsSync(plan) ? (JSON.parse(readFileSync(plan, 'utf8')) as PlanFile).config.keep_rejected : undefined;
  if (kept && existsSync(manifestPath(kept))) return kept;
  throw new ConfigError(`${dir} holds the kept docs; --reason reads the rejected docs a run keeps with keep_rejected (give that directory)`);
}

async function hasReasonColumn(dir: string, m: Manifest): Promise<boolean> {
  const shard = Object.values(m.sources).flatMap((s) => s.shards)[0];
  if (!shard) return false;
  const metadata = await parquetMetadataAsync(await asyncBufferFromFile(join(dir, shard.path)));
  return metadata.schema.some((c) => c.name === 'reason');
}

async function candidateRows(dir: string, m: Manifest, opts: HeadOptions): Promise<ShardRows[]> {
  const out: ShardRows[] = [];
  for (const [name, s] of Object.entries(m.sources)) {
    if (opts.source && name !== opts.source) continue;
    for (const shard of s.shards) {
      const file = await asyncBufferFromFile(join(dir, shard.path));
      const metadata = await parquetMetadataAsync(file);
      if (opts.reason === undefined) {
        out.push({ file, metadata, count: shard.rows });
        continue;
      }
      const reasons = await parquetReadObjects({ file, metadata, columns: ['reason'], compressors: readCompressors });
      const rows = reasons.flatMap((r, i) => (matches(String(r.reason), opts.reason!) ? [i] : []));
      out.push({ file, metadata, rows, count: rows.length });
    }
  }
  return out;
}

/** `filter/zyda` names every reason under it; `filter/zyda/too_short` only itself. */
function matches(reason: string, asked: string): boolean {
  const prefix = asked.replace(/\/+$/, '');
  return reason === prefix || reason.startsWith(prefix + '/');
}

/** Increasing row numbers as [start, end) runs, so consecutive rows are read together. */
function runsOf(rows: number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const r of rows) {
    const last = runs[runs.length - 1];
    if (last && last[1] === r) last[1] = r + 1;
    else runs.push([r, r + 1]);
  }
  return runs;
}

function print(r: Record<string, unknown>, opts: HeadOptions): void {
  if (opts.json) {
    process.stdout.write(JSON.stringify({ ...r, metadata: JSON.parse(r.metadata as string) as unknown }, (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)) + '\n');
    return;
  }
  const text = String(r.text);
  const why = r.reason === undefined ? '' : `${String(r.reason)}, `;
  process.stdout.write(`── ${String(r.id)}  (${String(r.source)}, ${why}${String(r.token_count)} tokens, ${text.length} chars)\n${text.slice(0, opts.chars)}${text.length > opts.chars ? ' …' : ''}\n\n`);
}
