import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeSchema } from '../stages/config-schema.js';
import { ShardWriter } from '../stages/shard-writer.js';
import type { Doc } from '../stages/types.js';
import { cleanup, duck, tempDir } from './helpers.js';

// The writer keeps pending text as UTF-8 packed into 4 MB slabs, with a buffer of its own for any text over
// 1 MB; these docs cross both limits, in several row groups, in one-byte, two-byte and astral text.
const texts = [
  'plain ascii',
  'naïve café',
  '東京 and 🚀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'a lone surrogate \ud800 here',
  '',
  'x'.repeat(1_500_000) + ' big one',
  ...Array.from({ length: 3_000 }, (_, i) => `doc ${i} ` + words(50 + (i % 200))),
  'é'.repeat(700_000),
];

/** Words that do not compress away, so the shard budget is reached. */
function words(n: number): string {
  let x = n * 2654435761;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.push(['Grüße', '世界', 'rocket🚀', 'word'][x % 4] + (x >>> 8).toString(36));
  }
  return out.join(' ');
}

test('shard writer: every text round-trips byte for byte through DuckDB, over many row groups and slabs', async () => {
  const dir = tempDir();
  try {
    const docs: Doc[] = texts.map((text, i) => ({ id: `t/${i}`, text, source: 't', meta: { i }, tokenCount: i }));
    const w = new ShardWriter(join(dir, 'data', 't'), writeSchema.parse({ row_group_bytes: 2_000_000, shard_max_bytes: 200_000 }));
    for (let i = 0; i < docs.length; i += 97) w.add(docs.slice(i, i + 97));
    const shards = await w.finish();
    assert.ok(shards.length > 1, `expected several shards, got ${shards.length}`);

    const glob = join(dir, 'data', 't', '*.parquet');
    const rows = await duck<{ id: string; text: string; token_count: number; metadata: string }>(`SELECT id, text, token_count, metadata FROM read_parquet('${glob}') ORDER BY token_count`);
    assert.equal(rows.length, docs.length);
    for (let i = 0; i < docs.length; i++) {
      assert.equal(rows[i].id, docs[i].id);
      // Parquet holds UTF-8, where a lone surrogate has no spelling: it is written as U+FFFD, as TextEncoder does.
      assert.equal(rows[i].text, (docs[i].text as string & { toWellFormed(): string }).toWellFormed());
      assert.deepEqual(JSON.parse(rows[i].metadata), { i });
    }
    const [bytes] = await duck<{ b: bigint }>(`SELECT sum(octet_length(encode(text))) AS b FROM read_parquet('${glob}')`);
    assert.equal(Number(bytes.b), shards.reduce((n, s) => n + s.text_bytes, 0), 'shard text_bytes are the UTF-8 bytes written');
    assert.equal(shards.reduce((n, s) => n + s.rows, 0), docs.length);
    assert.equal(shards.reduce((n, s) => n + s.tokens, 0), docs.reduce((n, d) => n + d.tokenCount!, 0));
    const groups = await duck<{ n: bigint }>(`SELECT count(DISTINCT (file_name, row_group_id)) AS n FROM parquet_metadata('${glob}')`);
    assert.ok(Number(groups[0].n) > 4, `expected many row groups, got ${groups[0].n}`);
    // The text column has no min/max (its slabs are reused after each row group); id keeps its statistics.
    const stats = await duck<{ path: string; min: string | null }>(`SELECT DISTINCT path_in_schema AS path, stats_min_value AS min FROM parquet_metadata('${glob}') WHERE path_in_schema IN ('text', 'id')`);
    assert.ok(stats.filter((r) => r.path === 'text').every((r) => r.min === null), JSON.stringify(stats.filter((r) => r.path === 'text').slice(0, 3)));
    assert.ok(stats.some((r) => r.path === 'id' && r.min !== null));
  } finally {
    cleanup(dir);
  }
});
