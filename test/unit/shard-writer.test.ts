import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeSchema } from '../../core/config-schema.js';
import { ShardWriter } from '../../io/shard-writer.js';
import type { Doc } from '../../core/types.js';
import { cleanup, duck, tempDir } from '../helpers.js';

// The writer encodes each column into 1 MB pages, compressed as they fill and kept in 4 MB slabs (a page over
// 1 MB gets a buffer of its own) until the row group is written; these docs cross every one of those limits, in
// several row groups, in one-byte, two-byte and astral text.
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
    // Some ids sort differently by UTF-16 units than by UTF-8 bytes, as the parquet statistics must order them.
    const docs: Doc[] = texts.map((text, i) => ({ id: i % 7 === 3 ? `t/\uff01${i}` : i % 7 === 5 ? `t/🚀${i}` : `t/${i}`, text, source: 't', meta: { i }, tokenCount: i }));
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

    // Every row group's id and token_count min/max are those of its own rows (DuckDB orders text by UTF-8 bytes).
    const groupStats = await duck<{ file: string; g: bigint; rows: bigint; path: string; min: string; max: string }>(
      `SELECT file_name AS file, row_group_id AS g, row_group_num_rows AS rows, path_in_schema AS path, stats_min_value AS min, stats_max_value AS max
       FROM parquet_metadata('${glob}') WHERE path_in_schema IN ('id', 'token_count') ORDER BY file, g, path`,
    );
    const actual = await duck<{ file: string; g: bigint; path: string; min: string; max: string }>(
      `WITH r AS (SELECT filename AS file, file_row_number AS n, id, token_count FROM read_parquet('${glob}', filename = true, file_row_number = true)),
       b AS (SELECT file_name AS file, row_group_id AS g, sum(row_group_num_rows) OVER (PARTITION BY file_name ORDER BY row_group_id) - row_group_num_rows AS lo, row_group_num_rows AS rows
             FROM (SELECT DISTINCT file_name, row_group_id, row_group_num_rows FROM parquet_metadata('${glob}')))
       SELECT b.file, b.g, 'id' AS path, min(id) AS min, max(id) AS max FROM r JOIN b ON r.file = b.file AND r.n >= b.lo AND r.n < b.lo + b.rows GROUP BY b.file, b.g
       UNION ALL
       SELECT b.file, b.g, 'token_count', min(token_count)::VARCHAR, max(token_count)::VARCHAR FROM r JOIN b ON r.file = b.file AND r.n >= b.lo AND r.n < b.lo + b.rows GROUP BY b.file, b.g
       ORDER BY 1, 2, 3`,
    );
    assert.equal(groupStats.length, actual.length);
    for (let i = 0; i < actual.length; i++) {
      assert.deepEqual([groupStats[i].min, groupStats[i].max], [actual[i].min, actual[i].max], `${actual[i].path} in ${actual[i].file} row group ${actual[i].g}`);
    }
  } finally {
    cleanup(dir);
  }
});

test('shard writer: every compression the config offers gives shards DuckDB reads back, with that codec on every column', async () => {
  const dir = tempDir();
  try {
    const docs: Doc[] = Array.from({ length: 400 }, (_, i) => ({ id: `c/${i}`, text: `doc ${i} ` + words(300 + i), source: 'c', meta: { i }, tokenCount: i }));
    for (const [compression, codec] of [['zstd', 'ZSTD'], ['snappy', 'SNAPPY'], ['gzip', 'GZIP'], ['none', 'UNCOMPRESSED']] as const) {
      const out = join(dir, compression);
      const w = new ShardWriter(out, writeSchema.parse({ compression, row_group_bytes: 1_500_000 }));
      w.add(docs);
      const shards = await w.finish();
      const glob = join(out, '*.parquet');
      const rows = await duck<{ text: string }>(`SELECT text FROM read_parquet('${glob}') ORDER BY token_count`);
      assert.deepEqual(rows.map((r) => r.text), docs.map((d) => d.text), compression);
      const codecs = await duck<{ codec: string }>(`SELECT DISTINCT compression AS codec FROM parquet_metadata('${glob}')`);
      assert.deepEqual(codecs.map((c) => c.codec), [codec], compression);
      assert.equal(shards.reduce((n, s) => n + s.rows, 0), docs.length);
    }
  } finally {
    cleanup(dir);
  }
});
