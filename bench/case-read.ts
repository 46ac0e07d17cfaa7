import type { CaseFigures } from './child.js';
import { readDocs } from './docs.js';
import { inThreads, serveShare, type Share } from './threads.js';

interface Count {
  docs: number;
  textBytes: number;
}

/**
 * `read <dir> [threads]`: every doc of `dir` through the real reader, no pool and no stages: the ceiling for
 * what workers can be fed. With several threads each reads every n-th task (file), as pool workers would.
 */
export async function run([dir, threads = '1']: string[]): Promise<CaseFigures> {
  const n = Number(threads);
  const t0 = performance.now();
  const counts = n === 1 ? [await count(dir)] : await inThreads<Count>(new URL(import.meta.url), n, dir);
  const seconds = (performance.now() - t0) / 1000;
  return {
    seconds,
    docs: counts.reduce((s, c) => s + c.docs, 0),
    text_bytes: counts.reduce((s, c) => s + c.textBytes, 0),
    extra: { zstd: process.env.ZYDA_ZSTD === 'napi' ? 'zstd-napi' : 'zstd CLI', threads: n },
  };
}

async function count(dir: string, share?: Share): Promise<Count> {
  let docs = 0;
  let textBytes = 0;
  for await (const batch of readDocs(dir, share)) {
    docs += batch.length;
    for (const d of batch) textBytes += Buffer.byteLength(d.text);
  }
  return { docs, textBytes };
}

await serveShare(count);
