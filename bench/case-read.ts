import type { CaseFigures } from './child.js';
import { readDocs } from './docs.js';

/** Every doc of `dir` through the real reader on this thread, no pool: the ceiling for what a worker can be fed. */
export async function run([dir]: string[]): Promise<CaseFigures> {
  let docs = 0;
  let textBytes = 0;
  const t0 = performance.now();
  for await (const batch of readDocs(dir)) {
    docs += batch.length;
    for (const d of batch) textBytes += Buffer.byteLength(d.text);
  }
  return { seconds: (performance.now() - t0) / 1000, docs, text_bytes: textBytes, extra: { zstd: process.env.ZYDA_ZSTD === 'napi' ? 'zstd-napi' : 'zstd CLI' } };
}
