import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { closeSync, createReadStream, openSync } from 'node:fs';
import { DecompressStream } from 'zstd-napi';
import type { Task } from '../../core/task.js';
import { chunksThrough } from './chunks.js';
import { gunzipMembers } from './gzip-members.js';
import { StreamError, unreadableCode } from './stream-error.js';

export { StreamError } from './stream-error.js';

let zstdCli: boolean | undefined;

/** The zstd CLI decompresses on another core, beside the reading thread; zstd-napi is the fallback. */
function haveZstdCli(): boolean {
  if (process.env.ZYDA_ZSTD === 'napi') return false;
  if (zstdCli === undefined) zstdCli = spawnSync('zstd', ['--version'], { stdio: 'ignore' }).status === 0;
  return zstdCli;
}

/** The decompressed bytes of a JSON lines task, as chunks; errors arrive as StreamError. */
export async function* openBytes(task: Task): AsyncGenerator<Buffer> {
  const range = task.byteRange;
  try {
    if (task.format === 'jsonl') {
      if (range && range.end <= range.start) return;
      yield* createReadStream(task.file, { start: range?.start, end: range ? range.end - 1 : undefined, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
    } else if (task.format === 'jsonl.gz') {
      yield* gunzipMembers(task.file);
    } else if (haveZstdCli()) {
      yield* zstdViaCli(task.file);
    } else {
      yield* chunksThrough(createReadStream(task.file, { highWaterMark: 1 << 20 }), new DecompressStream());
    }
  } catch (err) {
    throw classify(err, task.file);
  }
}

async function* zstdViaCli(file: string): AsyncGenerator<Buffer> {
  // Opened here and handed over as stdin: a file that cannot be opened fails as unreadable, not as a zstd error,
  // and the CLI's refusal of symbolic links ("is a symbolic link, ignoring") does not arise.
  // Its own process group: Ctrl-C on a terminal signals the whole foreground group, and a zstd killed by it
  // would read as a corrupt file in a task finishing just before the run stops, which a resume would then skip.
  // Nothing may await between the spawn and the listeners below: a quick child's 'close' would pass unheard.
  const input = openSync(file, 'r');
  let child: ChildProcessByStdio<null, Readable, Readable>;
  try {
    child = spawn('zstd', ['-dc'], { stdio: [input, 'pipe', 'pipe'], detached: true }) as ChildProcessByStdio<null, Readable, Readable>;
  } finally {
    closeSync(input);
  }
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
    if (!drained) child.kill();
  }
  const code = await exited;
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
