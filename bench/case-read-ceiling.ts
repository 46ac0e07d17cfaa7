import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseFigures } from './child.js';

/**
 * `read-ceiling <dir> <zstd|parse>`: what this machine allows a reader, without zyda's reader. `zstd` streams
 * every file of `dir` out of the zstd CLI and drops the bytes; `parse` also cuts them into lines and runs
 * JSON.parse on each, the method behind the end-to-end figures in shared/deps.md. Neither builds docs.
 */
export async function run([dir, mode]: string[]): Promise<CaseFigures> {
  if (mode !== 'zstd' && mode !== 'parse') throw new Error('usage: child.js read-ceiling <dir> <zstd|parse>');
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl.zst')).sort();
  let docs = 0;
  let bytes = 0;
  const t0 = performance.now();
  for (const f of files) {
    const child = spawn('zstd', ['-dc', '--', join(dir, f)], { stdio: ['ignore', 'pipe', 'inherit'] });
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
  return { seconds: (performance.now() - t0) / 1000, docs, text_bytes: 0, extra: { input_bytes: bytes } };
}
