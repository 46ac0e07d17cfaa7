import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { cleanup, duck, needsShared, readManifestJson, SHARED, shardGlob, tempDir, zyda } from '../helpers.js';

const DEV = join(SHARED, 'data', 'dev', 'multilingual_core_registers.jsonl.gz');

test('langid labels real web pages in 15 languages with lid.176, and keeps only the asked ones', { skip: needsShared('data/dev/multilingual_core_registers.jsonl.gz') }, async () => {
  const dir = tempDir();
  try {
    // 20 pages per language, plus English newswire from the sample-free part of the test.
    const rows = gunzipSync(readFileSync(DEV)).toString('utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { id: string; text: string; lang: string });
    const perLang = new Map<string, number>();
    const picked = rows.filter((r) => {
      const n = perLang.get(r.lang) ?? 0;
      perLang.set(r.lang, n + 1);
      return n < 20;
    });
    writeFileSync(join(dir, 'pages.jsonl'), picked.map((r) => JSON.stringify({ id: r.id, text: r.text, lang: r.lang })).join('\n'));
    writeFileSync(join(dir, 'p.yaml'), `output: tagged\nsources: [{name: web, paths: pages.jsonl, id_field: id}]\nstages: [{langid: {}}]\n`);
    let r = zyda(['run', join(dir, 'p.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    const tagged = await duck<{ metadata: string }>(`SELECT metadata FROM read_parquet('${shardGlob(join(dir, 'tagged'))}')`);
    assert.equal(tagged.length, picked.length, 'keep: all tags and drops nothing');
    let right = 0;
    for (const t of tagged) {
      const m = JSON.parse(t.metadata) as { lang: string; language: string; language_score: number };
      assert.ok(m.language_score > 0 && m.language_score <= 1);
      if (m.language === m.lang || (m.lang === 'no' && m.language === 'nn')) right++;
    }
    assert.ok(right / tagged.length > 0.97, `lid.176 agrees with the corpus labels on ${right}/${tagged.length}`);

    writeFileSync(join(dir, 'q.yaml'), `output: kept\nkeep_rejected: rejected\nsources: [{name: web, paths: pages.jsonl, id_field: id}]\nstages: [{langid: {keep: [fr, es], min_score: 0.65}}]\n`);
    r = zyda(['run', join(dir, 'q.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    const m = readManifestJson(join(dir, 'kept'));
    assert.ok(m.totals.docs >= 35 && m.totals.docs <= 40, `${m.totals.docs} fr/es pages kept`);
    assert.equal(m.accounting.dropped['langid/language_not_kept'] + (m.accounting.dropped['langid/low_score'] ?? 0), picked.length - m.totals.docs);
    const langs = await duck<{ l: string }>(`SELECT DISTINCT json_extract_string(metadata, '$.language') AS l FROM read_parquet('${shardGlob(join(dir, 'kept'))}') ORDER BY l`);
    assert.deepEqual(langs.map((x) => x.l), ['es', 'fr']);
  } finally {
    cleanup(dir);
  }
});

test('langid as a command: keep a language, or write label and score as columns', async () => {
  const dir = tempDir();
  try {
    const text = 'Ceci est une page web écrite en français.\nElle parle de la ville, de ses rues\net de ses habitants, qui aiment leur quartier.';
    writeFileSync(join(dir, 'a.jsonl'), JSON.stringify({ text }) + '\n' + JSON.stringify({ text: 'This is an English sentence about the weather today.' }));
    const r = zyda(['langid', '--input', join(dir, 'a.jsonl'), '--keep', 'fr', '-o', join(dir, 'out')]);
    assert.equal(r.code, 0, r.stderr);
    const m = readManifestJson(join(dir, 'out'));
    assert.equal(m.totals.docs, 1);
    assert.deepEqual(m.accounting.dropped, { 'langid/language_not_kept': 1 });
    const c = zyda(['langid', '--input', join(dir, 'a.jsonl'), '--columns', '-o', join(dir, 'cols')]);
    assert.equal(c.code, 0, c.stderr);
    const rows = await duck<{ language: string; language_score: number; metadata: string }>(`SELECT language, language_score, metadata FROM read_parquet('${shardGlob(join(dir, 'cols'))}') ORDER BY language`);
    assert.deepEqual(rows.map((x) => x.language), ['en', 'fr']);
    assert.ok(rows.every((x) => x.language_score > 0.5 && !('language' in (JSON.parse(x.metadata) as object))));
  } finally {
    cleanup(dir);
  }
});
