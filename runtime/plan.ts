import { createReadStream, existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import type { PipelineConfig, SourceConfig } from '../core/config-schema.js';
import { ConfigError } from '../core/errors.js';
import { priorManifest } from './manifest.js';
import { unreadableCode } from '../io/readers/stream-error.js';
import { compressedBytes } from '../io/readers/parquet-groups.js';
import { decompressZstd } from '../io/readers/byte-stream.js';
import { zstdFrameStarts } from '../io/readers/zstd-frames.js';
import { decompressedSize, MAX_TEXT_RANGES, MIN_RANGE_TEXT, rangesWanted, textRanges } from './text-ranges.js';
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

/** An earlier plan's tasks and the size it cut files into: its cuts of an unchanged zstd file can be reused. */
export interface EarlierCuts {
  taskBytes: number;
  tasks: Task[];
}

export async function buildPlan(cfg: PipelineConfig, earlier?: EarlierCuts): Promise<Plan> {
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
    const text = textSizeOf(f);
    const shares = reusedZstdCuts(f, taskBytes, earlier) ?? (await splitFile(f, f.format, taskBytes, text));
    const note = fewerTasksNote(f, shares, taskBytes, text);
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
 * Why a file larger than a task is fewer tasks than its size asks for, and what would let it use more cores;
 * undefined when it was cut as asked. A gzip file or a one-frame zstd file is cut into ranges of its text
 * (text-ranges.ts), which have a floor and a cap; an Arrow file is read whole; a Parquet file is cut between
 * row groups.
 */
function fewerTasksNote(f: PlannedFile, shares: TaskShare[], taskBytes: number, text: number | undefined): string | undefined {
  const { file, format } = f;
  const size = f.input.size;
  const tasks = shares.length;
  const more = (n: number) => `split it into ${n} files of about ${formatBytes(taskBytes)} to use as many cores`;
  if (text !== undefined && !shares[0].byteRange) {
    const wanted = rangesWanted(text, taskBytes);
    if (tasks >= wanted) return undefined;
    const what = format === 'jsonl.gz' ? 'a gzip file can only be read from its start' : 'a zstd file can only be read from the start of a frame';
    return `${basename(file)}: ${tasks} ${tasks === 1 ? 'task' : 'tasks'}, not ${wanted} (${what}, so each of its tasks decompresses it from there and reads at least ${formatBytes(MIN_RANGE_TEXT)} of its text, and at most ${MAX_TEXT_RANGES} do; recompress it as multi-frame zstd, e.g. with \`pzstd\`, or ${more(wanted)})`;
  }
  if (tasks > 1 || size <= taskBytes) return undefined;
  if (format === 'arrow') return `${basename(file)}: 1 task (an Arrow file is read whole; ${more(Math.ceil(size / taskBytes))})`;
  if (format === 'parquet') return `${basename(file)}: 1 task (one row group; write it with smaller row groups to use more cores)`;
  return undefined;
}

type TaskShare = Pick<Task, 'bytes' | 'byteRange' | 'textRange' | 'rowRange'>;

/** Counting a multi-frame zstd file's lines costs a full decompression: a rerun takes the cuts it made before. */
function reusedZstdCuts(f: PlannedFile, taskBytes: number, earlier: EarlierCuts | undefined): TaskShare[] | undefined {
  if (f.format !== 'jsonl.zst' || earlier?.taskBytes !== taskBytes) return undefined;
  const same = earlier.tasks.filter((t) => t.file === f.file && t.format === f.format && t.byteRange && t.input.size === f.input.size && t.input.mtime_ms === f.input.mtime_ms);
  return same.length > 0 ? same.map((t) => ({ bytes: t.bytes, byteRange: t.byteRange })) : undefined;
}

/** What a gzip or zstd file's text amounts to (text-ranges.ts); undefined for other formats and unreadable files. */
function textSizeOf(f: PlannedFile): number | undefined {
  if (f.format !== 'jsonl.gz' && f.format !== 'jsonl.zst') return undefined;
  try {
    return decompressedSize(f.file, f.format, f.input.size);
  } catch (err) {
    // Left whole for its task to report as unreadable_file under on_file_error.
    if (unreadableCode(err)) return undefined;
    throw err;
  }
}

async function splitFile(m: MatchedFile, format: FileFormat, taskBytes: number, text: number | undefined): Promise<TaskShare[]> {
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
  if (format === 'jsonl.zst' && size > taskBytes) {
    try {
      const shares = await splitZstd(m.file, size, taskBytes);
      if (shares.length > 1) return shares;
    } catch {
      // Damaged past its headers: left whole, for its task to report under on_file_error.
      return [{ bytes: size }];
    }
  }
  if (text !== undefined) return textRanges(size, text, taskBytes);
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

/** What a run of frames decompresses to: its size, its line ends, and where the first one is. */
interface FramesText {
  bytes: number;
  newlines: number;
  firstNewline: number;
  endsWithNewline: boolean;
}

async function framesText(file: string, start: number, end: number): Promise<FramesText> {
  const t: FramesText = { bytes: 0, newlines: 0, firstNewline: -1, endsWithNewline: false };
  for await (const chunk of decompressZstd(file, start, end)) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) {
      if (t.firstNewline === -1) t.firstNewline = t.bytes + i;
      t.newlines++;
    }
    t.bytes += chunk.length;
    if (chunk.length > 0) t.endsWithNewline = chunk[chunk.length - 1] === 10;
  }
  return t;
}

/**
 * Cuts a zstd file of several frames into runs of whole frames of about taskBytes compressed, found from the
 * frame headers. Frames may end mid-line, and ids need each task's first line number, so every run is
 * decompressed once here to count its lines: a task starts at the first line that begins in its frames
 * (`skip` bytes in) and reads its last line on into the next frames. A run in which no line begins joins the
 * run before it. A file of one frame stays whole.
 */
async function splitZstd(file: string, size: number, taskBytes: number): Promise<TaskShare[]> {
  const starts = zstdFrameStarts(file, size);
  if (!starts) return [{ bytes: size }];
  const cuts = [0];
  for (const s of starts) if (s >= cuts[cuts.length - 1] + taskBytes) cuts.push(s);
  if (cuts.length === 1) return [{ bytes: size }];
  cuts.push(size);
  const shares: TaskShare[] = [];
  let lines = 0;
  let previousEndsLine = true;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const text = await framesText(file, cuts[i], cuts[i + 1]);
    const skip = previousEndsLine ? 0 : text.firstNewline + 1;
    const open = shares[shares.length - 1];
    if (open && (text.firstNewline === -1 || skip >= text.bytes)) {
      // No line begins in these frames, or one that runs past them: the run before reads it with its own.
      open.bytes += cuts[i + 1] - cuts[i];
      open.byteRange!.end = cuts[i + 1];
      open.byteRange!.span! += text.bytes;
    } else {
      shares.push({ bytes: cuts[i + 1] - cuts[i], byteRange: { start: cuts[i], end: cuts[i + 1], firstLine: lines + 1 + (skip > 0 ? 1 : 0), skip, span: text.bytes } });
    }
    lines += text.newlines;
    previousEndsLine = text.endsWithNewline;
  }
  return shares.length > 1 ? shares : [{ bytes: size }];
}

/** Groups whole row groups into tasks of about taskBytes; an unreadable footer is left for the reader to report. */
async function splitParquet(file: string, size: number, taskBytes: number): Promise<TaskShare[]> {
  // Only a plan with Parquet inputs reads a footer.
  const { asyncBufferFromFile, parquetMetadataAsync } = await import('hyparquet');
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
