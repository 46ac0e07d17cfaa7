import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decompress } from 'zstd-napi';
import { z } from 'zod';
import '../../stages/builtins.js';
import { writeSchema } from '../../core/config-schema.js';
import { ConfigError } from '../../core/errors.js';
import { registerStageKind } from '../../core/registry.js';
import type { ColumnDef } from '../../core/stage.js';
import type { Doc } from '../../core/types.js';
import { ShardWriter } from '../../io/shard-writer.js';
import { configFromObject } from '../../runtime/config.js';
import { cleanup, clustersPath, duck, shardGlob, tempDir, zyda } from '../helpers.js';

const EN = 'The river runs through the old town, past the market and the stone bridge, and the children walk along it to school every morning.';
const FR = 'La rivière traverse la vieille ville, passe devant le marché et le pont de pierre, et les enfants la longent chaque matin pour aller à l’école.';
const DE = 'Der Fluss fließt durch die Altstadt, am Markt und an der Steinbrücke vorbei, und die Kinder gehen jeden Morgen an ihm entlang zur Schule.';
const ES = 'El río atraviesa el casco antiguo, pasa junto al mercado y al puente de piedra, y los niños caminan por su orilla cada mañana hacia la escuela.';

interface Described {
  column_name: string;
  column_type: string;
}

const schemaOf = async (glob: string) => (await duck<Described>(`DESCRIBE SELECT * FROM read_parquet('${glob}')`)).map((c) => `${c.column_name} ${c.column_type}`);

test('stage columns: langid, the filter features and dedup clusters, in stage order, in the output and the rejected docs', async () => {
  const dir = tempDir();
  try {
    // #1 and #4 are the same text: exact duplicates, #1 kept. #5 is too short for the zyda filter; #3 is German.
    const texts = [EN, FR, DE, EN, 'short', ES];
    writeFileSync(join(dir, 'web.jsonl'), texts.map((text) => JSON.stringify({ text })).join('\n') + '\n');
    writeFileSync(
      join(dir, 'p.yaml'),
      `output: out
keep_rejected: rejected
sources: [{name: web, paths: web.jsonl}]
stages:
  - filter: {zyda: {}, features_column: true}
  - langid: {keep: [en, fr, es], columns: true}
  - dedup: {exact: true, minhash: false, cluster_columns: true}
`,
    );
    const r = zyda(['run', join(dir, 'p.yaml')]);
    assert.equal(r.code, 0, r.stderr);

    const out = shardGlob(join(dir, 'out'));
    const base = ['id VARCHAR', 'text VARCHAR', 'source VARCHAR', 'token_count INTEGER', 'metadata VARCHAR'];
    assert.deepEqual(await schemaOf(out), [...base, 'filtering_features VARCHAR', 'language VARCHAR', 'language_score DOUBLE', 'dup_cluster_id VARCHAR', 'dup_cluster_size INTEGER']);
    type Row = { id: string; filtering_features: string; language: string; language_score: number; dup_cluster_id: string; dup_cluster_size: number };
    const rows = await duck<Row>(`SELECT id, filtering_features, language, language_score, dup_cluster_id, dup_cluster_size FROM read_parquet('${out}') ORDER BY id`);
    assert.deepEqual(
      rows.map((x) => [x.id, x.language, x.dup_cluster_size]),
      [
        ['web/web.jsonl#1', 'en', 2],
        ['web/web.jsonl#2', 'fr', 1],
        ['web/web.jsonl#6', 'es', 1],
      ],
    );
    for (const x of rows) {
      assert.ok(x.language_score > 0.65 && x.language_score <= 1, `${x.id} score ${x.language_score}`);
      assert.equal(typeof (JSON.parse(x.filtering_features) as { zyda: { mean_word_length: number } }).zyda.mean_word_length, 'number');
    }
    assert.equal(rows[1].dup_cluster_id, '', 'a doc in no cluster gets the fill');

    // Both members of the planted pair belong to the cluster whose id the kept one carries.
    const members = decompress(readFileSync(clustersPath(join(dir, 'out'))))
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; cluster: string; kept: boolean });
    assert.match(rows[0].dup_cluster_id, /^[0-9a-f]{16}$/);
    assert.deepEqual(
      members.map((m) => [m.id, m.cluster, m.kept]),
      [
        ['web/web.jsonl#1', rows[0].dup_cluster_id, true],
        ['web/web.jsonl#4', rows[0].dup_cluster_id, false],
      ],
    );

    // The rejected docs: reason and features first, then langid's columns (filled for a doc langid never saw), no cluster columns.
    const rejected = shardGlob(join(dir, 'rejected'));
    assert.deepEqual(await schemaOf(rejected), [...base, 'reason VARCHAR', 'filtering_features VARCHAR', 'language VARCHAR', 'language_score DOUBLE']);
    const dropped = await duck<{ id: string; reason: string; language: string; language_score: number }>(`SELECT id, reason, language, language_score FROM read_parquet('${rejected}') ORDER BY id`);
    assert.deepEqual(
      dropped.map((x) => [x.id, x.reason, x.language]),
      [
        ['web/web.jsonl#3', 'langid/language_not_kept', 'de'],
        ['web/web.jsonl#4', 'dedup/exact', 'en'],
        ['web/web.jsonl#5', 'filter/zyda/too_short', ''],
      ],
    );
    assert.equal(dropped[2].language_score, 0);
  } finally {
    cleanup(dir);
  }
});

test('the shard writer writes every column type, with fills, and refuses a value of the wrong type by column name', async () => {
  const dir = tempDir();
  try {
    const columns: ColumnDef[] = [
      { name: 's', type: 'string', fill: 'none' },
      { name: 'i32', type: 'int32', fill: -1 },
      { name: 'i64', type: 'int64', fill: 0 },
      { name: 'd', type: 'double', fill: 0.5 },
      { name: 'b', type: 'boolean', fill: false },
    ];
    const docs: Doc[] = Array.from({ length: 21 }, (_, i) => ({
      id: `d${String(i).padStart(2, '0')}`,
      text: `text ${i}`,
      source: 'web',
      meta: {},
      columns: i % 4 === 3 ? undefined : { s: `v${i}`, i32: i - 10, i64: 2 ** 40 + i, d: i / 8, b: i % 3 === 0 },
    }));
    const w = new ShardWriter(join(dir, 'data', 'web'), writeSchema.parse({}), columns);
    w.add(docs);
    const [shard] = await w.finish();
    assert.deepEqual(await schemaOf(shard.path), ['id VARCHAR', 'text VARCHAR', 'source VARCHAR', 'token_count INTEGER', 'metadata VARCHAR', 's VARCHAR', 'i32 INTEGER', 'i64 BIGINT', 'd DOUBLE', 'b BOOLEAN']);
    const rows = await duck<{ s: string; i32: number; i64: bigint; d: number; b: boolean }>(`SELECT s, i32, i64, d, b FROM read_parquet('${shard.path}') ORDER BY id`);
    assert.deepEqual(
      rows.map((x) => [x.s, x.i32, Number(x.i64), x.d, x.b]),
      docs.map((doc, i) => (doc.columns ? [`v${i}`, i - 10, 2 ** 40 + i, i / 8, i % 3 === 0] : ['none', -1, 0, 0.5, false])),
    );

    const bad = new ShardWriter(join(dir, 'data', 'bad'), writeSchema.parse({}), columns, 'w1');
    assert.throws(() => bad.add([{ ...docs[0], columns: { i32: 2 ** 31 } }]), /column i32: 2147483648 is not a int32/);
    assert.throws(() => bad.add([{ ...docs[0], columns: { b: 'yes' } }]), /column b: "yes" is not a boolean/);
  } finally {
    cleanup(dir);
  }
});

test('declared columns may not take a name zyda writes, nor one name with two types', async () => {
  const kind = (name: string, columns: ColumnDef[]) => ({ type: 'streaming' as const, kind: name, options: z.strictObject({}), columns: () => columns, create: () => ({ process: (docs: Doc[]) => docs }) });
  registerStageKind(kind('columns_test_text', [{ name: 'text', type: 'string', fill: '' }]), 'columns.test');
  registerStageKind(kind('columns_test_int', [{ name: 'language', type: 'int32', fill: 0 }]), 'columns.test');
  const config = (stages: unknown[]) => () => configFromObject({ output: '/tmp/columns-test-out', sources: [{ name: 'web', paths: ['/tmp/none.jsonl'] }], stages });
  await assert.rejects(config([{ columns_test_text: {} }]), (e: unknown) => e instanceof ConfigError && /stages\[0\]\.columns_test_text: column "text" is one zyda writes itself/.test(e.message));
  await assert.rejects(
    config([{ langid: { columns: true } }, { columns_test_int: {} }]),
    (e: unknown) => e instanceof ConfigError && /stages\[1\]\.columns_test_int: column "language" is a int32 here but a string in stage 1 \(langid\)/.test(e.message),
  );
  // Without langid's columns there is no clash.
  await assert.doesNotReject(config([{ langid: {} }, { columns_test_int: {} }]));
});

test('stage kinds resolve their own options: dedup paths and LSH shape, the tokens stage tokenizer, one dedup stage', async () => {
  const cfg = await configFromObject({
    output: 'out',
    sources: [{ name: 'web', paths: ['web.jsonl'] }],
    stages: [{ tokens: { tokenizer: 'tok/tokenizer.json' } }, { dedup: { index: ['old'], save_index: 'idx', threshold: 0.5 } }],
  });
  const [tokens, dedup] = cfg.stages.map((s) => s.options);
  assert.equal(tokens.tokenizer, join(process.cwd(), 'tok/tokenizer.json'));
  assert.deepEqual([dedup.index, dedup.save_index], [[join(process.cwd(), 'old')], join(process.cwd(), 'idx')]);
  assert.ok(typeof dedup.bands === 'number' && typeof dedup.rows === 'number' && dedup.bands * dedup.rows <= 128, 'bands × rows are filled in once');
  // A resolved config resolves to itself.
  assert.deepEqual((await configFromObject({ ...cfg, stages: cfg.stages.map((s) => ({ [s.kind]: s.options })) })).stages, cfg.stages);

  await assert.rejects(
    () => configFromObject({ output: 'out', sources: [{ name: 'web', paths: ['web.jsonl'] }], stages: [{ dedup: {} }, { dedup: { exact: true } }] }),
    (e: unknown) => e instanceof ConfigError && /stages\[1\]\.dedup: a pipeline has at most one dedup stage/.test(e.message),
  );
});
