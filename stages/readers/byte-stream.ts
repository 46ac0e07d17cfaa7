import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, realpathSync } from 'node:fs';
import { DecompressStream } from 'zstd-napi';
import type { Task } from '../plan.js';
import { chunksOf } from './chunks.js';
import { gunzipMembers } from './gzip-members.js';
import { StreamError } from './stream-error.js';

export { StreamError } from './stream-error.js';

let zstdCli: boolean | undefined;

/** The zstd CLI decompresses on another core (about 1.8x the in-process speed); zstd-napi is the fallback. */
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
      yield* chunksOf(createReadStream(task.file, { highWaterMark: 1 << 20 }).pipe(new DecompressStream()));
    }
  } catch (err) {
    throw classify(err, task.file);
  }
}

async function* zstdViaCli(file: string): AsyncGenerator<Buffer> {
  // The CLI refuses a symbolic link ("is a symbolic link, ignoring"), and its -f, which would allow one, also
  // passes a file that is not zstd through as it is: give it the file the link points to.
  const child = spawn('zstd', ['-dc', '--', realpathSync(file)], { stdio: ['ignore', 'pipe', 'pipe'] });
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
  if (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR') return new StreamError('unreadable_file', `${file}: cannot read (${e.code})`);
  if (/unexpected end|truncated|premature end|incomplete|ended in (the )?middle|src size is incorrect/i.test(msg) || e.code === 'Z_BUF_ERROR') {
    return new StreamError('truncated_file', `${file}: truncated compressed stream (${msg.replace(/\s+/g, ' ').trim()})`);
  }
  return new StreamError('corrupt_file', `${file}: corrupt compressed stream (${msg.replace(/\s+/g, ' ').trim()})`);
}
