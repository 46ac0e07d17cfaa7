import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseFigures } from './child.js';
import { inThreads, serveShare, type Share } from './threads.js';

type Mode = 'zstd' | 'parse';

interface Count {
  docs: number;
  bytes: number;
}

/**
 * `read-ceiling <dir> <zstd|parse> [threads]`: what this machine allows a reader, without zyda's reader. `zstd`
 * streams every file of `dir` out of the zstd CLI and drops the bytes; `parse` also cuts them into lines and
 * runs JSON.parse on each, the method behind the end-to-end figures in shared/deps.md. Neither builds docs.
 * With several threads each takes every n-th file.
 */
export async function run([dir, mode, threads = '1']: string[]): Promise<CaseFigures> {
  if (mode !== 'zstd' && mode !== 'parse') throw new Error('usage: child.js read-ceiling <dir> <zstd|parse> [threads]');
  const n = Number(threads);
  const t0 = performance.now();
  const counts = n === 1 ? [await count({ dir, mode })] : await inThreads<Count>(new URL(import.meta.url), n, { dir, mode });
  return {
    seconds: (performance.now() - t0) / 1000,
    docs: counts.reduce((s, c) => s + c.docs, 0),
    text_bytes: 0,
    extra: { input_bytes: counts.reduce((s, c) => s + c.bytes, 0), threads: n },
  };
}

async function count({ dir, mode }: { dir: string; mode: Mode }, share: Share = { index: 0, of: 1 }): Promise<Count> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl.zst')).sort();
  let docs = 0;
  let bytes = 0;
  for (let i = share.index; i < files.length; i += share.of) {
    const child = spawn('zstd', ['-dc', '--', join(dir, files[i])], { stdio: ['ignore', 'pipe', 'inherit'] });
    let carry = '';
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (mode === 'zstd') continue;
      const last = chunk.lastIndexOf(10);
      const lines = (carry + chunk.toString('utf8', 0, last)).split('\n');
      carry = chunk.toString('utf8', last + 1);
      for (const line of lines) if (line.length > 0 && JSON.parse(line) !== null) docs++;
    }
  }
  return { docs, bytes };
}

await serveShare(count);
