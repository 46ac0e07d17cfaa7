import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, duck, readManifestJson, shardGlob, tempDir, zyda } from '../helpers.js';

const good = (i: number) => `Document ${i} talks about rivers, stones and gardens in winter; ` + 'the water runs over smooth grey stones '.repeat(4);

test('filter stage: drops by reason, skips sources, writes features and the rejected docs', async () => {
  const dir = tempDir();
  try {
    const web = [good(1), 'too short', good(2), '1234 5678 9012 3456 7890 1234 5678 9012 3456 7890 1234 5678 9012 3456 7890 1234 5678 9012 3456 7890 1234 56', good(3) + ' ' + '?'.repeat(30)];
    writeFileSync(join(dir, 'web.jsonl'), web.map((text, i) => JSON.stringify({ text, n: i })).join('\n'));
    writeFileSync(join(dir, 'code.jsonl'), ['x=1', 'y = [1,2,3]'].map((text) => JSON.stringify({ text })).join('\n'));
    writeFileSync(
      join(dir, 'p.yaml'),
      `output: out
keep_rejected: rejected
sources:
  - {name: web, paths: web.jsonl}
  - {name: code, paths: code.jsonl}
stages:
  - transform: {skip_sources: [code]}
  - filter: {zyda: {}, skip_sources: [code], features_column: true}
`,
    );
    const r = zyda(['run', join(dir, 'p.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    const m = readManifestJson(join(dir, 'out'));
    assert.deepEqual(m.accounting.dropped, { 'filter/zyda/too_short': 1, 'filter/zyda/numerical': 1 });
    assert.equal(m.sources.code.docs, 2, 'a skipped source is never filtered');
    assert.match(r.stdout, /filter\/zyda\/too_short\s+1/);

    const rows = await duck<{ id: string; text: string; filtering_features: string }>(`SELECT id, text, filtering_features FROM read_parquet('${shardGlob(join(dir, 'out'))}') ORDER BY id`);
    const web3 = rows.find((x) => x.id === 'web/web.jsonl#5')!;
    assert.ok(web3.text.endsWith(' ?'), 'the transform collapsed the run of ? in the published text');
    const f = JSON.parse(web3.filtering_features) as { zyda: { mean_word_length: number; pattern_counts: Record<string, number> } };
    assert.ok(f.zyda.mean_word_length > 3 && typeof f.zyda.pattern_counts['https://'] === 'number', 'features are JSON, not a Python repr');
    assert.deepEqual(JSON.parse(rows.find((x) => x.id.startsWith('code/'))!.filtering_features), {}, 'skipped sources have no features');

    const rejected = await duck<{ id: string; reason: string; filtering_features: string }>(`SELECT id, reason, filtering_features FROM read_parquet('${shardGlob(join(dir, 'rejected'))}') ORDER BY id`);
    assert.deepEqual(rejected.map((x) => [x.id, x.reason]), [['web/web.jsonl#2', 'filter/zyda/too_short'], ['web/web.jsonl#4', 'filter/zyda/numerical']]);
    assert.ok((JSON.parse(rejected[1].filtering_features) as { zyda: { fraction_numerical: number } }).zyda.fraction_numerical > 0.2);
    assert.equal(readManifestJson(join(dir, 'rejected')).totals.docs, 2);

    const ex = zyda(['explain', join(dir, 'rejected'), '--id', 'web/web.jsonl#4']);
    assert.equal(ex.code, 0, ex.stderr);
    assert.match(ex.stdout, /dropped by: filter\/zyda\/numerical/);
    assert.match(ex.stdout, /numerical\s+0\.\d+\s+≤ 0\.2\s+DROP/);
    assert.match(ex.stdout, /too_short\s+\d+\s+≥ 100\s+pass/);
  } finally {
    cleanup(dir);
  }
});

test('zyda filter as a command, with thresholds set from flags', () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'a.jsonl'), [good(1), good(2).slice(0, 150)].map((text) => JSON.stringify({ text })).join('\n'));
    const r = zyda(['filter', '--input', join(dir, 'a.jsonl'), '--filters', 'zyda', '--set', 'zyda.min_length=200', '-o', join(dir, 'out')]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readManifestJson(join(dir, 'out')).accounting.dropped, { 'filter/zyda/too_short': 1 });
    const bad = zyda(['filter', '--input', join(dir, 'a.jsonl'), '--filters', 'zyda', '--set', 'zyda.min_lenght=2', '-o', join(dir, 'out')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /min_lenght/);
  } finally {
    cleanup(dir);
  }
});

test("the metadata filter keeps docs by a field their source carries (fwe3 from fwe2's int_score), and explains it", async () => {
  const dir = tempDir();
  try {
    const records = [
      { id: 'a', text: 'one', int_score: 3, meta: { lang: 'en' } },
      { id: 'b', text: 'two', int_score: 2, meta: { lang: 'en' } },
      { id: 'c', text: 'three', int_score: 5, meta: { lang: 'de' } },
      { id: 'd', text: 'four', meta: { lang: 'en' } },
      { id: 'e', text: 'five', int_score: 'high', meta: { lang: 'en' } },
    ];
    writeFileSync(join(dir, 'fwe2.jsonl'), records.map((r) => JSON.stringify(r)).join('\n'));
    const cfg = (filter: string) => {
      writeFileSync(join(dir, 'p.yaml'), `output: out\nkeep_rejected: rejected\nsources:\n  - {name: fwe2, paths: fwe2.jsonl, id_field: id}\nstages:\n  - filter: {metadata: ${filter}}\n`);
      return join(dir, 'p.yaml');
    };
    const r = zyda(['run', cfg('{field: int_score, min: 3}'), '--force']);
    assert.equal(r.code, 0, r.stderr);
    const m = readManifestJson(join(dir, 'out'));
    assert.deepEqual(m.accounting.dropped, { 'filter/metadata/below_min': 1, 'filter/metadata/missing': 1, 'filter/metadata/not_a_number': 1 });
    const kept = await duck<{ id: string }>(`SELECT id FROM read_parquet('${shardGlob(join(dir, 'out'))}') ORDER BY id`);
    assert.deepEqual(kept.map((x) => x.id), ['a', 'c']);
    const ex = zyda(['explain', join(dir, 'rejected'), '--id', 'b']);
    assert.equal(ex.code, 0, ex.stderr);
    assert.match(ex.stdout, /below_min\s+2\s+≥ 3\s+DROP/);

    const nested = zyda(['run', cfg('{field: meta.lang, in: [en], missing: keep}'), '--force']);
    assert.equal(nested.code, 0, nested.stderr);
    assert.deepEqual(readManifestJson(join(dir, 'out')).accounting.dropped, { 'filter/metadata/not_in': 1 });

    const bad = zyda(['run', cfg('{field: int_score}'), '--force']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /give min, max or in/);
  } finally {
    cleanup(dir);
  }
});
