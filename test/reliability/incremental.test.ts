import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, duck, listFiles, readManifestJson, shardGlob, tempDir, zyda } from '../helpers.js';

const WORDS = 'amber basalt cobalt dune ember fjord glacier harbor island jasper kelp lagoon meadow nectar orchard prairie quartz reef savanna tundra upland valley willow yarrow zephyr'.split(' ');

function prose(seed: number): string {
  let x = (seed * 2654435761 + 7) >>> 0;
  return Array.from({ length: 80 }, () => WORDS[((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8) % WORDS.length]).join(' ');
}

const drop = (dir: string, night: number, docs: { id: string; text: string }[]) =>
  writeFileSync(join(dir, 'in', `night-${night}.jsonl`), docs.map((d) => JSON.stringify(d)).join('\n') + '\n');

const shas = (out: string) => Object.fromEntries(listFiles(join(out, 'data')).map((f) => [f, createHash('sha256').update(readFileSync(f)).digest('hex')]));

test('three nightly drops with incremental: true process only new files, dedup against earlier nights, append shards', async () => {
  const dir = tempDir();
  try {
    mkdirSync(join(dir, 'in'));
    const out = join(dir, 'out');
    const cfg = join(dir, 'nightly.yaml');
    writeFileSync(cfg, `output: ${out}\nincremental: true\nworkers: 2\nsources:\n  - {name: feed, paths: ${join(dir, 'in')}, id_field: id}\nstages:\n  - dedup: {threshold: 0.7}\n`);

    drop(dir, 1, [1, 2, 3, 4].map((i) => ({ id: `n1-${i}`, text: prose(i) })));
    let r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    const after1 = shas(out);
    assert.equal(Object.keys(after1).length, 1);
    assert.match(Object.keys(after1)[0], /data\/feed\/g00001\/train-00000-of-00001\.parquet$/);

    // Night 2: two new docs and two that repeat night 1 (one exact, one with a word changed).
    const near = prose(2).replace(/^(\S+)/, 'changed');
    drop(dir, 2, [{ id: 'n2-1', text: prose(11) }, { id: 'n2-2', text: prose(12) }, { id: 'n2-dup', text: prose(1) }, { id: 'n2-near', text: near }]);
    r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    const after2 = shas(out);
    for (const [f, h] of Object.entries(after1)) assert.equal(after2[f], h, `${f} is untouched`);
    assert.equal(Object.keys(after2).length, 2);

    // Night 3 repeats a night-2 doc; a run with no new file has nothing to do.
    drop(dir, 3, [{ id: 'n3-1', text: prose(21) }, { id: 'n3-dup', text: prose(12) }]);
    r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /no new input files since run 3; nothing to do/);

    const ids = (await duck<{ id: string }>(`SELECT id FROM read_parquet('${shardGlob(out)}') ORDER BY id`)).map((x) => x.id);
    assert.deepEqual(ids, ['n1-1', 'n1-2', 'n1-3', 'n1-4', 'n2-1', 'n2-2', 'n3-1']);
    const m = readManifestJson(out);
    assert.deepEqual(m.history!.map((h) => [h.run, h.files_added, h.docs_read, h.docs_added]), [[1, 1, 4, 4], [2, 1, 4, 2], [3, 1, 2, 1]]);
    assert.equal(m.files!.length, 3);
    assert.equal(m.totals.docs, 7);
    assert.equal(m.sources.feed.shards.length, 3);
    assert.deepEqual(m.retired, ['dedup/g00002/clusters.jsonl.zst', 'dedup/g00002/index', 'report/g00002/report-data.json'], 'earlier nights\' shards stay; only the replaced dedup files and report data are retired');
    assert.deepEqual(m.accounting.duplicates, { 'dedup/near': 3 });
    assert.equal(m.accounting.read, m.accounting.written + 3);
  } finally {
    cleanup(dir);
  }
});

test('zyda stats prints the history of an incremental output, one row per night', () => {
  const dir = tempDir();
  try {
    mkdirSync(join(dir, 'in'));
    const out = join(dir, 'out');
    const cfg = join(dir, 'nightly.yaml');
    writeFileSync(cfg, `output: ${out}\nincremental: true\nworkers: 1\nsources:\n  - {name: feed, paths: ${join(dir, 'in')}, id_field: id}\nstages:\n  - dedup: {threshold: 0.7}\n`);
    drop(dir, 1, [1, 2, 3].map((i) => ({ id: `n1-${i}`, text: prose(i) })));
    assert.equal(zyda(['run', cfg]).code, 0);
    // Night 2: two files, one doc of them an exact repeat of night 1.
    drop(dir, 2, [{ id: 'n2-1', text: prose(11) }, { id: 'n2-dup', text: prose(1) }]);
    drop(dir, 3, [{ id: 'n3-1', text: prose(21) }]);
    assert.equal(zyda(['run', cfg]).code, 0);

    const m = readManifestJson(out);
    const r = zyda(['stats', out]);
    assert.equal(r.code, 0, r.stderr);
    const table = r.stdout.slice(r.stdout.indexOf('run  date (UTC)'));
    const rows = table.trim().split('\n').slice(2).map((l) => l.trim().split(/\s{2,}/));
    const expected = m.history!.map((h) => [h.run, h.created_at.slice(0, 19).replace('T', ' '), h.files_added, h.docs_read, h.docs_added, h.tokens_added].map((v) => v.toLocaleString('en-US')));
    assert.deepEqual(rows, expected);
    assert.deepEqual(rows.map((x) => x.slice(2, 5)), [['1', '3', '3'], ['2', '3', '2']]);
    const json = JSON.parse(zyda(['stats', out, '--json']).stdout) as { history: unknown };
    assert.deepEqual(json.history, m.history);
  } finally {
    cleanup(dir);
  }
});
