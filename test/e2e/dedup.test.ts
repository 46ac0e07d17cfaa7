import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { join, relative } from 'node:path';
import { decompress } from 'zstd-napi';
import { runBuckets } from '../../dedup/buckets.js';
import { runClusters } from '../../dedup/clusters.js';
import { docHasher } from '../../dedup/doc-signature.js';
import { BundleWriter } from '../../dedup/bundle-file.js';
import { layout } from '../../dedup/layout.js';
import { RecordReader, writeRecords } from '../../dedup/record-file.js';
import { dedupOptions } from '../../dedup/options.js';
import type { DedupDecision } from '../../stages/dedup/index.js';
import type { PlanFile } from '../../runtime/plan-file.js';
import { seededProse as prose } from '../prose.js';
import { cleanup, clustersPath, duck, listFiles, outputDigest, readManifestJson, shardGlob, tempDir, zyda } from '../helpers.js';

/** The same doc with every 40th word changed: Jaccard of 5-gram sets about 0.8. */
const nearCopy = (text: string) => text.split(' ').map((w, i) => (i % 40 === 20 ? 'changed' : w)).join(' ');

interface Row {
  id: string;
  text: string;
}

function writeJsonl(path: string, rows: Row[]): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

/** Exact dedup is on in these tests unless a test says otherwise: they check both phases. */
function config(dir: string, options: Record<string, unknown>, extra = ''): string {
  const stage = { exact: true, ...options };
  const cfg = join(dir, `cfg-${Math.random().toString(36).slice(2, 8)}.yaml`);
  writeFileSync(
    cfg,
    `output: ${join(dir, 'out')}\nworkers: 2\n${extra}sources:\n  - name: best\n    paths: ${join(dir, 'in', 'best')}\n    id_field: id\n    rank: 0\n  - name: worse\n    paths: ${join(dir, 'in', 'worse')}\n    id_field: id\n    rank: 1\nstages:\n  - dedup: ${JSON.stringify(stage)}\n`,
  );
  return cfg;
}

async function keptIds(out: string): Promise<string[]> {
  return (await duck<{ id: string }>(`SELECT id FROM read_parquet('${shardGlob(out)}') ORDER BY id`)).map((r) => r.id);
}

/**
 * best (rank 0): b1 = P, b2 = Q, b3 = "hello world", b4 = "hello world" (a short doc and its copy), b5 = "!!!" and
 * b6 = "..." (empty after normalisation).
 * worse (rank 1): w1 = near copy of P (across), w2 = R, w3 = R again (exact, within), w4 = "???" (empty).
 */
function scenario(dir: string): void {
  const P = prose(1);
  const R = prose(3);
  writeJsonl(join(dir, 'in', 'best', 'a.jsonl'), [
    { id: 'b1', text: P },
    { id: 'b2', text: prose(2) },
    { id: 'b3', text: 'Hello, world!' },
    { id: 'b4', text: 'hello world' },
    { id: 'b5', text: '!!!' },
    { id: 'b6', text: '...' },
  ]);
  writeJsonl(join(dir, 'in', 'worse', 'a.jsonl'), [
    { id: 'w1', text: nearCopy(P) },
    { id: 'w2', text: R },
    { id: 'w3', text: R },
    { id: 'w4', text: '???' },
  ]);
}

test('keep rule by rank, short docs, empty docs, and the three scopes', async () => {
  const dir = tempDir();
  try {
    scenario(dir);
    const base = { threshold: 0.5 };
    let r = zyda(['run', config(dir, { ...base, scope: 'both' })]);
    assert.equal(r.code, 0, r.stderr);
    // w1 loses to b1 (better rank); w3 to w2 (same rank, earlier doc); b4 to b3 (short docs are still copies);
    // the three empty docs stay: two empty docs are never duplicates.
    assert.deepEqual(await keptIds(join(dir, 'out')), ['b1', 'b2', 'b3', 'b5', 'b6', 'w2', 'w4']);
    let m = readManifestJson(join(dir, 'out'));
    assert.deepEqual(m.accounting.by_source.worse.duplicates, { 'dedup/exact': 1, 'dedup/near': 1 });
    assert.deepEqual(m.accounting.by_source.best.duplicates, { 'dedup/exact': 1 });
    const report = m.reports['0-dedup'] as DedupDecision['report'];
    assert.equal(report.empty, 3);
    assert.deepEqual(report.near!.removed_by, { worse: { best: 1 } });
    assert.match(r.stdout, /duplicates/);
    const stats = zyda(['stats', join(dir, 'out')]);
    assert.equal(stats.code, 0, stats.stderr);
    assert.match(stats.stdout, /removed \(near\)\s+total\s+within\s+across\s+→ best/);
    assert.match(stats.stdout, /worse\s+1\s+0\s+1\s+1/);

    r = zyda(['run', config(dir, { ...base, scope: 'within' })]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await keptIds(join(dir, 'out')), ['b1', 'b2', 'b3', 'b5', 'b6', 'w1', 'w2', 'w4'], 'within: the cross-source pair stays');

    r = zyda(['run', config(dir, { ...base, scope: 'across' })]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await keptIds(join(dir, 'out')), ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'w2', 'w3', 'w4'], 'across: same-source copies stay, the lower-ranked source loses');
    m = readManifestJson(join(dir, 'out'));
    assert.equal(m.accounting.read, m.accounting.written + Object.values(m.accounting.duplicates).reduce((a, b) => a + b, 0));
  } finally {
    cleanup(dir);
  }
});

/** 3 files × 300 docs with exact and near copies inside and across files and sources. */
function bigger(dir: string): void {
  for (const [source, seedBase] of [['best', 0], ['worse', 5000]] as const) {
    for (let f = 0; f < 3; f++) {
      const rows: Row[] = [];
      for (let i = 0; i < 300; i++) {
        const k = seedBase + f * 1000 + i;
        // Every 7th doc copies one from another file or source; every 11th is a near copy.
        const origin = i % 7 === 0 ? prose((i * 13) % 900) : i % 11 === 0 ? nearCopy(prose(5000 + ((i * 7) % 900))) : prose(k);
        rows.push({ id: `${source}-${f}-${i}`, text: origin });
      }
      writeJsonl(join(dir, 'in', source, `part-${f}.jsonl`), rows);
    }
  }
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

test('dedup output is byte-identical for 1, 2 and 4 workers and any task split', async () => {
  const dir = tempDir();
  try {
    bigger(dir);
    const outputs: Record<string, string>[] = [];
    for (const [workers, taskBytes] of [[1, '1GB'], [2, '20kB'], [4, '50kB']] as const) {
      const cfg = config(dir, { threshold: 0.6, cluster_columns: true }, `task_bytes: ${taskBytes}\n`).replace(/workers: 2\n/, '');
      const text = readFileSync(cfg, 'utf8').replace('workers: 2\n', `workers: ${workers}\n`);
      writeFileSync(cfg, text);
      const r = zyda(['run', cfg]);
      assert.equal(r.code, 0, r.stderr);
      const out = join(dir, 'out');
      outputs.push(outputDigest(out));
      const m = readManifestJson(out);
      assert.ok(Object.values(m.accounting.duplicates).reduce((a, b) => a + b, 0) > 100, 'the corpus has duplicates to remove');
    }
    // And when every task spills its band records to sorted runs after a few docs and merges them at the end.
    const cfg = config(dir, { threshold: 0.6, cluster_columns: true }, 'batch_bytes: 5000\n');
    // --force: its tasks read what the first run's read, and would be skipped.
    const r = zyda(['run', cfg, '--force'], { env: { ZYDA_DEDUP_SPILL_BYTES: '20000' } });
    assert.equal(r.code, 0, r.stderr);
    const spilled = outputDigest(join(dir, 'out'));
    assert.deepEqual(outputs[1], outputs[0]);
    assert.deepEqual(outputs[2], outputs[0]);
    assert.deepEqual(spilled, outputs[0]);
  } finally {
    cleanup(dir);
  }
});

test('a first pass that only feeds dedup leaves no part: the apply pass reads the input again, and refuses it changed', async () => {
  const dir = tempDir();
  try {
    scenario(dir);
    const cfg = config(dir, { threshold: 0.5 }, 'keep_intermediates: true\n');
    for (const step of ['seg0', '0-dedup.buckets', '0-dedup.clusters']) assert.equal(zyda(['step', step, cfg]).code, 0);
    const parts = join(dir, 'out', '.zyda', 'parts');
    assert.deepEqual(existsSync(join(parts, 'seg0')) ? readdirSync(join(parts, 'seg0')) : [], []);

    // The input as the first pass saw it is gone: the second pass must not dedup other docs by its signatures.
    const input = join(dir, 'in', 'worse', 'a.jsonl');
    const later = new Date(statSync(input).mtimeMs + 5000);
    utimesSync(input, later, later);
    let r = zyda(['step', 'seg1', cfg, '--use-plan']);
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(`${input} changed since the first pass read it`), r.stderr);

    r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readdirSync(join(parts, 'seg1')).length, 2);
    assert.deepEqual(await keptIds(join(dir, 'out')), ['b1', 'b2', 'b3', 'b5', 'b6', 'w2', 'w4']);
  } finally {
    cleanup(dir);
  }
});

test("a workdir of an earlier zyda, whose annotations also hold the kept doc's id hash, applies the same", () => {
  const dir = tempDir();
  try {
    scenario(dir);
    const cfg = config(dir, { threshold: 0.5, cluster_columns: true });
    assert.equal(zyda(['run', cfg]).code, 0);
    const out = join(dir, 'out');
    const before = outputDigest(out);
    // An earlier zyda wrote a file per task, annot/<phase>/task-T.bin, six words a record.
    const annot = join(out, '.zyda', 'stages', '0-dedup', 'annot');
    const tasks = (JSON.parse(readFileSync(join(out, '.zyda', 'plan.json'), 'utf8')) as PlanFile).tasks.length;
    let files = 0;
    for (const phase of ['exact', 'near']) {
      const bundle = join(annot, `${phase}.bin`);
      mkdirSync(join(annot, phase));
      for (let t = 0; t < tasks; t++) {
        const name = `task-${String(t).padStart(6, '0')}`;
        const four = new RecordReader(bundle, 'annot', 'test', name).readAll();
        const six = new Uint32Array((four.length / 4) * 6);
        for (let i = 0; i < four.length / 4; i++) six.set([...four.subarray(i * 4, i * 4 + 4), 0xdead, 0xbeef], i * 6);
        writeRecords(join(annot, phase, `${name}.bin`), 'annot', 6, six);
        files++;
      }
      rmSync(bundle);
    }
    assert.ok(files >= 2);
    for (const step of ['seg1', 'write']) assert.equal(zyda(['step', step, cfg, '--force']).code, 0);
    assert.equal(zyda(['commit', cfg]).code, 0);
    assert.deepEqual(outputDigest(out), before);
  } finally {
    cleanup(dir);
  }
});

test('a damaged intermediate is refused by name, with the task to rerun', () => {
  const dir = tempDir();
  try {
    scenario(dir);
    const r = zyda(['run', config(dir, { threshold: 0.5 })]);
    assert.equal(r.code, 0, r.stderr);
    const stageDir = join(dir, 'out', '.zyda', 'stages', '0-dedup');
    const decision = JSON.parse(readFileSync(join(stageDir, 'decision.json'), 'utf8')) as DedupDecision;
    const job = { dir: stageDir, band: 0, tasks: decision.tasks, scope: 'both' as const };
    runBuckets(job);

    const band = layout.keys(stageDir, decision.tasks[1].key!);
    // Band records of another width (band values, as zyda wrote before band keys): refused, not merged.
    const saved = readFileSync(band);
    const odd = new BundleWriter(band);
    writeRecords(odd.section(layout.keySection(0)), 'band', 14, new Uint32Array(14));
    odd.close();
    assert.throws(() => runBuckets(job), (e: Error) => e.message.includes(band) && /records of 14 words/.test(e.message) && /rerun dedup signatures for task 1/.test(e.message));
    writeFileSync(band, saved);
    truncateSync(band, statSync(band).size - 7);
    assert.throws(() => runBuckets(job), (e: Error) => e.message.includes(band) && /cut short/.test(e.message) && /rerun dedup signatures for task 1/.test(e.message));

    writeFileSync(band, saved);

    // The exact keys are the bundle's first section: byte 20 is one of its records.
    const exact = layout.keys(stageDir, decision.tasks[0].key!);
    const fd = openSync(exact, 'r+');
    writeSync(fd, Buffer.from([0xff, 0xfe]), 0, 2, 20);
    closeSync(fd);
    assert.throws(() => runBuckets({ ...job, band: 'exact' }), (e: Error) => e.message.includes(exact) && /checksum mismatch/.test(e.message));

    const edges = layout.edges(stageDir, 'exact');
    truncateSync(edges, 10);
    assert.throws(() => runClusters({ dir: stageDir, exact: true, bands: 0, tasks: decision.tasks, keep: 'one', sourceNames: ['best', 'worse'] }), (e: Error) => e.message.includes(edges) && /rerun dedup buckets/.test(e.message));
  } finally {
    cleanup(dir);
  }
});

test('index mode: a later run drops docs already in an earlier output, without touching it', async () => {
  const dir = tempDir();
  try {
    const old = [0, 1, 2, 3].map((i) => ({ id: `old${i}`, text: prose(100 + i) }));
    writeJsonl(join(dir, 'in', 'best', 'a.jsonl'), old);
    writeJsonl(join(dir, 'in', 'worse', 'a.jsonl'), [{ id: 'oldw', text: prose(200) }]);
    let r = zyda(['run', config(dir, { threshold: 0.5, save_index: true })]);
    assert.equal(r.code, 0, r.stderr);
    const first = join(dir, 'first');
    mkdirSync(first);
    for (const f of listFiles(join(dir, 'out')).map((p) => relative(join(dir, 'out'), p))) {
      if (f.startsWith('.zyda')) continue;
      mkdirSync(join(first, f, '..'), { recursive: true });
      writeFileSync(join(first, f), readFileSync(join(dir, 'out', f)));
    }
    const before = Object.fromEntries(listFiles(first).map((f) => [f, sha(f)]));

    // Night two: one exact copy and one near copy of old docs, and two new docs.
    writeJsonl(join(dir, 'in', 'best', 'a.jsonl'), [{ id: 'new1', text: prose(300) }, { id: 'copy', text: prose(101) }]);
    writeJsonl(join(dir, 'in', 'worse', 'a.jsonl'), [{ id: 'new2', text: prose(301) }, { id: 'near', text: nearCopy(prose(200)) }]);
    r = zyda(['run', config(dir, { threshold: 0.5, index: [first], save_index: join(dir, 'index2') })]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await keptIds(join(dir, 'out')), ['new1', 'new2']);
    const report = readManifestJson(join(dir, 'out')).reports['0-dedup'] as DedupDecision['report'];
    assert.equal(report.index_docs, 5);
    assert.deepEqual(Object.fromEntries(listFiles(first).map((f) => [f, sha(f)])), before, 'the old output is untouched');

    // Night three against the saved index: it remembers nights one and two.
    writeJsonl(join(dir, 'in', 'best', 'a.jsonl'), [{ id: 'again', text: prose(300) }, { id: 'fresh', text: prose(400) }]);
    writeJsonl(join(dir, 'in', 'worse', 'a.jsonl'), [{ id: 'older', text: prose(102) }]);
    r = zyda(['run', config(dir, { threshold: 0.5, index: [join(dir, 'index2')] })]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await keptIds(join(dir, 'out')), ['fresh']);

    r = zyda(['run', config(dir, { threshold: 0.7, index: [join(dir, 'index2')] })]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /built with other dedup options/);

    // An index whose words came from another version of the normalisation is refused the same way.
    const metaPath = join(dir, 'index2', 'index.json');
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { fingerprint: Record<string, unknown> };
    assert.ok(typeof meta.fingerprint.normalize_version === 'number');
    meta.fingerprint.normalize_version = (meta.fingerprint.normalize_version as number) - 1;
    writeFileSync(metaPath, JSON.stringify(meta));
    r = zyda(['run', config(dir, { threshold: 0.5, index: [join(dir, 'index2')] })]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /built with other dedup options.*normalize_version/);
  } finally {
    cleanup(dir);
  }
});

test('compat: datasketch gives the spec signature through the stage, and finds near copies end to end', async () => {
  const o = dedupOptions.parse({ compat: 'datasketch', ngram: 13, bands: 32, rows: 4, exact: false });
  const sig = docHasher(o)('the quick brown fox jumps over the lazy dog and then runs far away from the old hunter').signature!;
  assert.deepEqual([...sig.slice(0, 8)], [626613855, 143247607, 625285380, 939240729, 571007484, 415795608, 71051566, 1131889135]);
  assert.equal(createHash('sha256').update([...sig].join(',')).digest('hex'), '3ad1b007ba943233ce2a3332a3bba51314eb29f0bab2f2c89255921b7e648206');

  const dir = tempDir();
  try {
    scenario(dir);
    const r = zyda(['run', config(dir, { compat: 'datasketch', ngram: 13, bands: 32, rows: 4 })]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await keptIds(join(dir, 'out')), ['b1', 'b2', 'b3', 'b5', 'b6', 'w2', 'w4']);
    const members = decompress(readFileSync(clustersPath(join(dir, 'out')))).toString().trim().split('\n').map((l) => JSON.parse(l) as { id: string; kept: boolean; phase: string; jaccard: number });
    const w1 = members.find((m) => m.id === 'w1')!;
    assert.equal(w1.kept, false);
    assert.equal(w1.phase, 'near');
    assert.ok(w1.jaccard > 0.4 && w1.jaccard < 1, `estimated Jaccard ${w1.jaccard}`);
  } finally {
    cleanup(dir);
  }
});

test('a doc with every word in curly quotes is a duplicate of the plain one, in both compat modes (zyda-spec §5: ftfy first)', async () => {
  const words = prose(9, 24);
  const curly = words.split(' ').map((w) => `\u201c${w}\u201d`).join(' ');
  const dir = tempDir();
  try {
    writeJsonl(join(dir, 'in', 'best', 'a.jsonl'), [{ id: 'plain', text: words }]);
    writeJsonl(join(dir, 'in', 'worse', 'a.jsonl'), [{ id: 'curly', text: curly }]);
    writeJsonl(join(dir, 'both.jsonl'), [{ id: 'plain', text: words }, { id: 'curly', text: curly }]);
    for (const compat of ['fast', 'datasketch']) {
      const ngram = compat === 'datasketch' ? 13 : 5;
      const run = zyda(['run', config(dir, { compat, ngram, exact: false }), '--force']);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(await keptIds(join(dir, 'out')), ['plain'], `zyda run, compat: ${compat}`);
      const out = join(dir, `dedup-${compat}`);
      const cmd = zyda(['dedup', '-i', join(dir, 'both.jsonl'), '--id-field', 'id', '--compat', compat, '--ngram', String(ngram), '-o', out]);
      assert.equal(cmd.code, 0, cmd.stderr);
      const rows = await duck<{ id: string; text: string }>(`SELECT id, text FROM read_parquet('${shardGlob(out)}')`);
      assert.equal(rows.length, 1, `zyda dedup, compat: ${compat}`);
      const members = decompress(readFileSync(clustersPath(out))).toString().trim().split('\n').map((l) => JSON.parse(l) as { id: string; kept: boolean; phase: string; jaccard?: number });
      const removed = members.filter((m) => !m.kept);
      assert.deepEqual(removed.map((m) => [m.phase, m.jaccard]), [['near', 1]], `zyda dedup, compat: ${compat}`);
      assert.notEqual(removed[0]!.id, rows[0]!.id);
    }
  } finally {
    cleanup(dir);
  }
});

test("normalize: none hashes the raw text (Zyda-2's char 25-grams): a copy in other letter case is no longer a duplicate", async () => {
  const text = prose(11, 200);
  const shouted = text.toUpperCase();
  const dir = tempDir();
  try {
    writeJsonl(join(dir, 'in', 'best', 'a.jsonl'), [{ id: 'plain', text }]);
    writeJsonl(join(dir, 'in', 'worse', 'a.jsonl'), [
      { id: 'copy', text },
      { id: 'shouted', text: shouted },
    ]);
    const zyda2 = { exact: false, char_ngram: 25, bands: 8, rows: 16, scope: 'across' };
    const raw = zyda(['run', config(dir, { ...zyda2, normalize: 'none' }), '--force']);
    assert.equal(raw.code, 0, raw.stderr);
    assert.deepEqual(await keptIds(join(dir, 'out')), ['plain', 'shouted']);
    // Exact keys of the raw text: the copy goes, the upper-case text stays.
    const exact = zyda(['run', config(dir, { exact: true, minhash: false, char_ngram: 25, scope: 'across', normalize: 'none' }), '--force']);
    assert.equal(exact.code, 0, exact.stderr);
    assert.deepEqual(await keptIds(join(dir, 'out')), ['plain', 'shouted']);
    assert.deepEqual(readManifestJson(join(dir, 'out')).accounting.duplicates, { 'dedup/exact': 1 });
    const normalized = zyda(['run', config(dir, zyda2), '--force']);
    assert.equal(normalized.code, 0, normalized.stderr);
    assert.deepEqual(await keptIds(join(dir, 'out')), ['plain']);
    const bad = zyda(['run', config(dir, { exact: false, normalize: 'none' }), '--force']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /normalize: none .* give char_ngram/);
  } finally {
    cleanup(dir);
  }
});
