import '../stages/builtins.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFromObject } from '../runtime/config.js';
import { ShardWriter } from '../io/shard-writer.js';
import type { CaseFigures } from './child.js';
import { readDocs } from './docs.js';

/**
 * The parquet writer alone. Docs stream in from the reader (so RSS shows what the writer itself holds,
 * not a preloaded corpus) and only the writer's calls are timed. Token counts are a cheap stand-in:
 * the writer only stores them, and tokenizing would dominate the time.
 */
export async function run([dir]: string[]): Promise<CaseFigures> {
  const out = mkdtempSync(join(tmpdir(), 'zyda-bench-write-'));
  try {
    const cfg = await configFromObject({
      output: out,
      sources: [{ name: 'web', paths: [dir] }],
      write: { shard_max_bytes: 256e6, compression: 'zstd', compression_level: 3, tokenizer: 'gpt2', row_group_bytes: 64e6 },
    });
    const writer = new ShardWriter(join(out, 'data', 'web'), cfg.write);
    let docs = 0;
    let textBytes = 0;
    let busy = 0;
    for await (const batch of readDocs(dir)) {
      for (const d of batch) {
        d.tokenCount = d.text.length >> 2;
        textBytes += Buffer.byteLength(d.text);
      }
      docs += batch.length;
      const t = performance.now();
      writer.add(batch);
      busy += performance.now() - t;
    }
    const t = performance.now();
    const shards = await writer.finish();
    busy += performance.now() - t;
    const bytes = shards.reduce((n, s) => n + s.bytes, 0);
    return { seconds: busy / 1000, docs, text_bytes: textBytes, extra: { shards: shards.length, parquet_bytes: bytes } };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
