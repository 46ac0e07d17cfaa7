import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI } from '../helpers.js';

export interface PausedRun {
  /** The zyda process's pid (read from its temp shard's name, so it is the run's even under `script`). */
  pid: number;
  exit: Promise<number | null>;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
}

/**
 * Starts `zyda run <cfg>` with ZYDA_PAUSE_AT=shards-written: the run works up to its write step, writes its
 * shards under temp names and waits there, holding its locks, until a signal stops it. Resolves once a temp
 * shard is on disk. With `pty`, the run's stdout and stderr are a terminal (util-linux `script`); `alsoAt`
 * names more pause points.
 */
export async function pausedRun(cfg: string, out: string, opts: { pty?: boolean; alsoAt?: string[] } = {}): Promise<PausedRun> {
  const env = { ...process.env, ZYDA_PAUSE_AT: ['shards-written', ...(opts.alsoAt ?? [])].join(','), ZYDA_LOG_FORMAT: 'text' };
  const child = opts.pty
    ? spawn('script', ['-qec', `${process.execPath} ${CLI} run ${cfg}`, '/dev/null'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, [CLI, 'run', cfg], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  for (;;) {
    const data = join(out, 'data');
    const temp = existsSync(data) ? readdirSync(data, { recursive: true }).map(String).find((f) => /\.tmp-\d+-w\d+-shard-/.test(f)) : undefined;
    if (temp) return { pid: Number(/\.tmp-(\d+)-/.exec(temp)![1]), exit, output: () => output };
    if (child.exitCode !== null) throw new Error(`the run ended before it paused:\n${output}`);
    await sleep(50);
  }
}
