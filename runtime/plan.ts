import { createReadStream, existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import type { PipelineConfig, SourceConfig } from '../core/config-schema.js';
import { ConfigError } from '../core/errors.js';
import { priorManifest } from './manifest.js';
import { unreadableCode } from '../io/readers/stream-error.js';
import { compressedBytes } from '../io/readers/parquet-groups.js';
import type { FileFormat, Task, Warning } from '../core/task.js';
import { resolveTaskBytes } from './task-size.js';
import { formatBytes } from '../core/bytes.js';
import { describeListingError, listingFs, type ListingError } from './listing-errors.js';

export interface Plan {
  tasks: Task[];
  files: Record<string, string[]>;
  warnings: Warning[];
  /** The size files were cut into (task_bytes, or what `auto` chose). */
  taskBytes: number;
  /** Files larger than a task that stay one task, and why: for the plan output, not a problem of the run. */
  notes: string[];
}

const EXTENSIONS: [string, FileFormat][] = [
  ['.jsonl.zst', 'jsonl.zst'], ['.json.zst', 'jsonl.zst'], ['.ndjson.zst', 'jsonl.zst'], ['.jsonl.zstd', 'jsonl.zst'],
  ['.jsonl.gz', 'jsonl.gz'], ['.json.gz', 'jsonl.gz'], ['.ndjson.gz', 'jsonl.gz'],
  ['.jsonl', 'jsonl'], ['.json', 'jsonl'], ['.ndjson', 'jsonl'],
  ['.parquet', 'parquet'], ['.arrow', 'arrow'],
];

export function formatOf(path: string): FileFormat | undefined {
  const lower = path.toLowerCase();
  return EXTENSIONS.find(([ext]) => lower.endsWith(ext))?.[1];
}

/** A directory holding a manifest.json and data/ was written by zyda and is itself a source. */
export function isZydaOutput(path: string): boolean {
  return existsSync(join(path, 'manifest.json')) && existsSync(join(path, 'data'));
}

/**
 * The shards a zyda output's manifest names, given the output or one of its data/<source> folders: the
 * folders also hold the previous generation's shards until the next commit, which are not part of it.
 */
function zydaShards(path: string): string[] | undefined {
  const whole = isZydaOutput(path);
  const out = whole ? path : dirname(dirname(path));
  if (!whole && !(basename(dirname(path)) === 'data' && isZydaOutput(out))) return undefined;
  const m = priorManifest(out);
  if (!m) return undefined;
  const sources = Object.entries(m.sources).filter(([name]) => whole || name === basename(path));
  return sources.flatMap(([, s]) => s.shards.map((sh) => join(out, sh.path)));
}

interface MatchedFile {
  file: string;
  relpath: string;
  zyda: boolean;
}

async function expandPath(pattern: string, source: SourceConfig, errors: ListingError[]): Promise<MatchedFile[]> {
  const wanted = (f: string) => source.format !== 'auto' || formatOf(f) !== undefined;
  const found: ListingError[] = [];
  const fs = listingFs(found);
  let matched: MatchedFile[];
  if (existsSync(pattern) && statSync(pattern).isDirectory()) {
    const shards = zydaShards(pattern);
    if (shards) {
      matched = shards.sort().map((file) => ({ file, relpath: relative(pattern, file).split(sep).join('/'), zyda: true }));
    } else {
      const files = await glob('**/*', { cwd: pattern, absolute: true, onlyFiles: true, fs });
      matched = files.filter(wanted).sort().map((file) => ({ file, relpath: relative(pattern, file).split(sep).join('/'), zyda: false }));
    }
  } else if (!isDynamicPattern(pattern)) {
    if (existsSync(pattern)) return [{ file: pattern, relpath: basename(pattern), zyda: false }];
    if (lstatSync(pattern, { throwIfNoEntry: false })?.isSymbolicLink()) errors.push({ path: pattern, kind: 'dangling_symlink', code: 'ENOENT' });
    return [];
  } else {
    const base = globBase(pattern);
    const files = await glob(pattern, { absolute: true, onlyFiles: true, expandDirectories: false, fs });
    matched = files.sort().map((file) => ({ file, relpath: relative(base, file).split(sep).join('/'), zyda: false }));
  }
  // A link to nothing matters only where a file it named would have been read.
  errors.push(...found.filter((e) => e.kind === 'unreadable_directory' || wanted(e.path)));
  return matched;
}

/** In path order, each once: a link loop shows the same broken entry under many paths. */
function uniqueListingErrors(errors: ListingError[]): ListingError[] {
  const byPlace = new Map<string, ListingError>();
  for (const e of errors.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const place = e.kind === 'unreadable_directory' ? realPathOf(e.path) : join(realPathOf(dirname(e.path)), basename(e.path));
    if (!byPlace.has(place)) byPlace.set(place, e);
  }
  return [...byPlace.values()];
}

function realPathOf(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/** The directory part of a glob before its first wildcard segment. */
export function globBase(pattern: string): string {
  const parts = pattern.split('/');
  const fixed: string[] = [];
  for (const part of parts) {
    if (isDynamicPattern(part)) break;
    fixed.push(part);
  }
  return fixed.join('/') || '/';
}

export async function buildPlan(cfg: PipelineConfig): Promise<Plan> {
  const files: Record<string, string[]> = {};
  const warnings: Warning[] = [];
  const inputs: PlannedFile[] = [];
  for (const source of cfg.sources) {
    const matched = await matchSource(cfg, source, warnings);
    files[source.name] = matched.map((m) => m.file);
    for (const m of matched) {
      const format = m.zyda ? 'parquet' : source.format === 'auto' || source.format === 'zyda' ? formatOf(m.file) : source.format;
      if (!format) throw new ConfigError(`source ${source.name}: cannot tell the format of ${m.file} from its name; set format:`);
      const st = statSync(m.file);
      inputs.push({ ...m, source, format, input: { size: st.size, mtime_ms: Math.floor(st.mtimeMs) } });
    }
  }
  const taskBytes = resolveTaskBytes(cfg.task_bytes, inputs.reduce((n, f) => n + f.input.size, 0));
  const tasks: Task[] = [];
  const notes: string[] = [];
  for (const f of inputs) {
    const shares = await splitFile(f, f.format, taskBytes);
    const note = unsplitNote(f.file, f.format, f.input.size, shares.length, taskBytes);
    if (note) notes.push(note);
    for (const t of shares) {
      tasks.push({ index: tasks.length, source: f.source.name, file: f.file, relpath: f.relpath, format: f.format, zyda: f.zyda || f.source.format === 'zyda', input: f.input, ...t });
    }
  }
  return { tasks, files, warnings, taskBytes, notes };
}

interface PlannedFile extends MatchedFile {
  source: SourceConfig;
  format: FileFormat;
  input: Task['input'];
}

/** A source's files in path order, each once; listing problems become warnings or errors by on_file_error. */
async function matchSource(cfg: PipelineConfig, source: SourceConfig, warnings: Warning[]): Promise<MatchedFile[]> {
  const matched: MatchedFile[] = [];
  // By real path: a file reached through links (or a link loop) is read once, under its first path in order.
  const seen = new Set<string>();
  for (const pattern of source.paths) {
    const errors: ListingError[] = [];
    const found = await expandPath(pattern, source, errors);
    for (const e of uniqueListingErrors(errors)) {
      const message = `source ${source.name}: ${describeListingError(e)}`;
      if (cfg.on_file_error === 'fail') throw new ConfigError(`${message} (set on_file_error: skip to go on without it)`);
      warnings.push({ kind: e.kind, message });
    }
    if (found.length === 0) {
      const message = `source ${source.name}: ${pattern} matched no files`;
      if (cfg.on_file_error === 'fail') throw new ConfigError(`${message} (set on_file_error: skip to go on without it)`);
      warnings.push({ kind: 'no_match', message });
    }
    for (const m of found) {
      const real = realPathOf(m.file);
      if (seen.has(real)) continue;
      seen.add(real);
      matched.push(m);
    }
  }
  const relpaths = new Map<string, string>();
  for (const m of matched) {
    const other = relpaths.get(m.relpath);
    if (other) throw new ConfigError(`source ${source.name}: ${other} and ${m.file} both map to ids "${source.name}/${m.relpath}#…"; give them distinct paths or separate sources`);
    relpaths.set(m.relpath, m.file);
  }
  return matched;
}

/**
 * Why a file larger than a task stays one task, and what would let it use more cores; undefined when it was cut.
 * A compressed file is read whole by one task: a gzip stream can only be read from its start, and a zstd file's
 * frames, where one could start, carry no line numbers, which the default ids need.
 */
function unsplitNote(file: string, format: FileFormat, size: number, tasks: number, taskBytes: number): string | undefined {
  if (tasks > 1 || size <= taskBytes) return undefined;
  const more = `split it into ${Math.ceil(size / taskBytes)} files of about ${formatBytes(taskBytes)} to use as many cores`;
  if (format === 'jsonl.gz') return `${basename(file)}: 1 task (a gzip file cannot be split; ${more})`;
  if (format === 'jsonl.zst') return `${basename(file)}: 1 task (a zstd file is read whole; ${more})`;
  if (format === 'arrow') return `${basename(file)}: 1 task (an Arrow file is read whole; ${more})`;
  if (format === 'parquet') return `${basename(file)}: 1 task (one row group; write it with smaller row groups to use more cores)`;
  return undefined;
}

type TaskShare = Pick<Task, 'bytes' | 'byteRange' | 'rowRange'>;

async function splitFile(m: MatchedFile, format: FileFormat, taskBytes: number): Promise<TaskShare[]> {
  const size = statSync(m.file).size;
  if (format === 'jsonl' && size > taskBytes) {
    try {
      return await splitJsonl(m.file, size, taskBytes);
    } catch (err) {
      // Left whole for its task to report as unreadable_file under on_file_error.
      if (unreadableCode(err)) return [{ bytes: size }];
      throw err;
    }
  }
  if (format === 'parquet' && size > taskBytes) return splitParquet(m.file, size, taskBytes);
  return [{ bytes: size }];
}

/**
 * Cuts a plain JSON lines file at the first newline after each multiple of taskBytes, counting lines on
 * the way so every range knows its first line number (ids must not depend on how the file was split).
 */
async function splitJsonl(file: string, size: number, taskBytes: number): Promise<TaskShare[]> {
  const shares: TaskShare[] = [];
  let start = 0;
  let firstLine = 1;
  let line = 1;
  let pos = 0;
  let target = taskBytes;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let i = chunk.indexOf(10);
    while (i !== -1) {
      line++;
      const end = pos + i + 1;
      if (end >= target && end < size) {
        shares.push({ bytes: end - start, byteRange: { start, end, firstLine } });
        start = end;
        firstLine = line;
        target = end + taskBytes;
      }
      i = chunk.indexOf(10, i + 1);
    }
    pos += chunk.length;
  }
  shares.push({ bytes: size - start, byteRange: { start, end: size, firstLine } });
  return shares;
}

/** Groups whole row groups into tasks of about taskBytes; an unreadable footer is left for the reader to report. */
async function splitParquet(file: string, size: number, taskBytes: number): Promise<TaskShare[]> {
  let groups: { rows: number; bytes: number }[];
  try {
    const meta = await parquetMetadataAsync(await asyncBufferFromFile(file));
    groups = meta.row_groups.map((g) => ({ rows: Number(g.num_rows), bytes: compressedBytes(g) }));
  } catch {
    return [{ bytes: size }];
  }
  const shares: TaskShare[] = [];
  let row = 0;
  let start = 0;
  let bytes = 0;
  for (const g of groups) {
    if (bytes > 0 && bytes + g.bytes > taskBytes) {
      shares.push({ bytes, rowRange: { start, end: row } });
      start = row;
      bytes = 0;
    }
    row += g.rows;
    bytes += g.bytes;
  }
  if (bytes > 0 || shares.length === 0) shares.push({ bytes, rowRange: { start, end: row } });
  return shares;
}
