import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { createReadStream, type ReadStream } from 'node:fs';
import { zstdNapi } from '../zstd-napi.js';
import { sharedOnce } from '../../core/shared-once.js';
import type { Task } from '../../core/task.js';
import { chunksThrough } from './chunks.js';
import { gunzipMembers } from './gzip-members.js';
import { linesOfTextRange } from './text-range.js';
import { StreamError, unreadableCode } from './stream-error.js';

export { StreamError } from './stream-error.js';

/**
 * The zstd CLI decompresses on another core, beside the reading thread, where a core is free; zstd-napi
 * decompresses in the thread otherwise, and where the CLI does not run. Whether it runs is asked once per
 * process (a child process started from each worker thread would cost each one's first task), and without
 * blocking the thread.
 */
function haveZstdCli(): Promise<boolean> {
  if (process.env.ZYDA_ZSTD === 'napi' || coresTaken) return Promise.resolve(false);
  return sharedOnce('zstd-cli-runs', zstdCliRuns);
}

/**
 * Whether the threads running tasks beside this one take every core (set by executors/worker.ts). The CLI then
 * costs more than it saves: each start forks the whole process (the calling thread pays for its address space,
 * tens of ms once a pool holds models and caches), its output crosses a pipe in small chunks, and its own CPU
 * takes a core from a task thread.
 */
let coresTaken = false;

export function setCoresTaken(taken: boolean): void {
  coresTaken = taken;
}

function zstdCliRuns(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('zstd', ['--version'], { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });
}

/** Told how many more bytes of the file on disk lie behind the chunks yielded so far: compressed bytes for an archive. */
export type OnRead = (fileBytes: number) => void;

/**
 * The decompressed bytes of a JSON lines task, as chunks; errors arrive as StreamError. `onRead` hears, before
 * each chunk, how far into the file on disk the reading has come, so progress moves inside one large archive.
 * A task of a decompressed range tells `onFirstLine` its first line's number before its first chunk.
 */
export async function* openBytes(task: Task, onRead: OnRead = () => {}, onFirstLine: (line: number) => void = () => {}): AsyncGenerator<Buffer> {
  const range = task.byteRange;
  try {
    if (task.textRange) {
      const open = (tell: OnRead) => (task.format === 'jsonl.gz' ? gunzipMembers(task.file, tell) : decompressZstd(task.file, 0, undefined, tell));
      yield* linesOfTextRange(open, task.textRange, task.bytes, onRead, onFirstLine);
    } else if (task.format === 'jsonl') {
      if (range && range.end <= range.start) return;
      for await (const chunk of createReadStream(task.file, { start: range?.start, end: range ? range.end - 1 : undefined, highWaterMark: 1 << 20 })) {
        onRead((chunk as Buffer).length);
        yield chunk as Buffer;
      }
    } else if (task.format === 'jsonl.gz') {
      yield* gunzipMembers(task.file, onRead);
    } else {
      const chunks = decompressZstd(task.file, range?.start ?? 0, undefined, onRead);
      // A range of frames: its lines run from `skip` to the end of the line holding decompressed byte span - 1.
      yield* range?.span === undefined ? chunks : linesOfRange(chunks, range.skip ?? 0, range.span);
    }
  } catch (err) {
    throw classify(err, task.file);
  }
}

/**
 * The decompressed bytes of a zstd file from compressed byte `start` (a frame start) to `end` (another, or the
 * end of the file), each chunk after telling `onRead` how much more of the file was read.
 */
export async function* decompressZstd(file: string, start: number, end: number | undefined, onRead: OnRead = () => {}): AsyncGenerator<Buffer> {
  const cli = await haveZstdCli();
  const source = createReadStream(file, { start, end: end === undefined ? undefined : end - 1, highWaterMark: 1 << 20 });
  yield* positionsOf(cli ? zstdViaCli(source) : chunksThrough(source, new (zstdNapi().DecompressStream)()), source, onRead);
}

/**
 * The lines of a range of frames: without its first `skip` bytes (the end of a line an earlier range reads),
 * through byte span - 1 and on to the end of the line that holds it, which may lie in the frames after.
 * Returning early stops the decompression.
 */
async function* linesOfRange(chunks: AsyncGenerator<Buffer>, skip: number, span: number): AsyncGenerator<Buffer> {
  let pos = 0;
  for await (let chunk of chunks) {
    if (pos + chunk.length <= skip) {
      pos += chunk.length;
      continue;
    }
    if (pos < skip) {
      chunk = chunk.subarray(skip - pos);
      pos = skip;
    }
    // Past the span, only what is left of its last line.
    const lineEnd = pos + chunk.length >= span ? chunk.indexOf(10, Math.max(0, span - 1 - pos)) : -1;
    if (lineEnd !== -1) {
      yield chunk.subarray(0, lineEnd + 1);
      return;
    }
    pos += chunk.length;
    yield chunk;
  }
}

/** The chunks decompressed from `source`, each after telling `onRead` how much more of the file was read. */
async function* positionsOf(chunks: AsyncGenerator<Buffer>, source: ReadStream, onRead: OnRead): AsyncGenerator<Buffer> {
  let told = 0;
  for await (const chunk of chunks) {
    if (source.bytesRead > told) {
      onRead(source.bytesRead - told);
      told = source.bytesRead;
    }
    yield chunk;
  }
}

async function* zstdViaCli(source: ReadStream): AsyncGenerator<Buffer> {
  // Fed through a pipe from our own read of the file: a file that cannot be opened fails as unreadable, not as a
  // zstd error, the CLI's refusal of symbolic links ("is a symbolic link, ignoring") does not arise, and the
  // bytes read so far say how far into the file the reading is.
  // Its own process group: Ctrl-C on a terminal signals the whole foreground group, and a zstd killed by it
  // would read as a corrupt file in a task finishing just before the run stops, which a resume would then skip.
  // Nothing may await between the spawn and the listeners below: a quick child's 'close' would pass unheard.
  if (source.pending) await new Promise<void>((resolve, reject) => source.once('ready', () => resolve()).once('error', reject));
  const child = spawn('zstd', ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'], detached: true }) as ChildProcessByStdio<Writable, Readable, Readable>;
  let readError: Error | undefined;
  source.on('error', (err) => {
    readError = err;
    child.kill();
  });
  // A zstd that stops early (corrupt data, or killed) closes its end of the pipe: that is its exit code's story.
  child.stdin.on('error', () => {});
  source.pipe(child.stdin);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  let drained = false;
  try {
    yield* child.stdout as AsyncIterable<Buffer>;
    drained = true;
  } finally {
    // Stopped early (fail policy, or a consumer error): do not leave the child writing into a closed pipe.
    if (!drained) {
      child.kill();
      source.destroy();
    }
  }
  const code = await exited;
  if (readError) throw readError;
  if (code !== 0) throw new Error(`zstd: ${stderr.trim() || `exit code ${code}`}`);
}

function classify(err: unknown, file: string): StreamError {
  if (err instanceof StreamError) return err;
  const e = err as NodeJS.ErrnoException;
  const msg = e.message ?? String(err);
  if (unreadableCode(err)) return new StreamError('unreadable_file', `${file}: cannot read (${e.code})`);
  if (/unexpected end|truncated|premature end|incomplete|ended in (the )?middle|src size is incorrect/i.test(msg) || e.code === 'Z_BUF_ERROR') {
    return new StreamError('truncated_file', `${file}: truncated compressed stream (${msg.replace(/\s+/g, ' ').trim()})`);
  }
  return new StreamError('corrupt_file', `${file}: corrupt compressed stream (${msg.replace(/\s+/g, ' ').trim()})`);
}
