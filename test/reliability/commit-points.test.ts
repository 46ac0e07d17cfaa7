import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMIT_POINTS } from '../../runtime/commit.js';
import { cleanup, duck, manifestProblems, outputDigest, readManifestJson, shardGlob, tempDir, zyda } from '../helpers.js';
import { indexDocs, prose, snapshotConfig, strayFiles, writeDocs, writeInput } from './commit-fixture.js';

/** Puts `names` of `from` back in `dir`, as they were: each kill starts from the same output and workdir. */
function restore(dir: string, from: string, names: string[]): void {
  for (const n of names) {
    rmSync(join(dir, n), { recursive: true, force: true });
    cpSync(join(from, n), join(dir, n), { recursive: true, preserveTimestamps: true });
  }
}

/** The checks a kill must never break: the manifest names whole files, and nothing is left no manifest names. */
function assertConsistent(outs: string[], when: string): void {
  for (const out of outs) {
    if (!existsSync(join(out, 'manifest.json'))) continue;
    assert.deepEqual(manifestProblems(out), [], `${out} ${when}`);
  }
}

test('kill -9 at every point of the commit: the manifest a reader follows is always whole, and the rerun ends as an uninterrupted run', () => {
  const dir = tempDir();
  try {
    writeInput(dir);
    let r = zyda(['run', snapshotConfig(dir, 30, 'ref')]);
    assert.equal(r.code, 0, r.stderr);
    const expected = [outputDigest(join(dir, 'ref')), outputDigest(join(dir, 'ref-rejected'))];

    // Two earlier commits, so the commit under test has a previous generation to retire and one to keep.
    for (const rows of [10, 20]) assert.equal(zyda(['run', snapshotConfig(dir, rows)]).code, 0);
    const saved = join(dir, 'saved');
    mkdirSync(saved);
    restore(saved, dir, ['out', 'out-rejected']);
    const outs = [join(dir, 'out'), join(dir, 'out-rejected')];
    const cfg = snapshotConfig(dir, 30);

    // The rejected docs' output publishes no dedup files: every other point of its commit is there.
    const rejectedPoints = COMMIT_POINTS.filter((p) => p !== 'publish').map((p) => `rejected-commit-${p}`);
    for (const point of [...rejectedPoints, ...COMMIT_POINTS.map((p) => `commit-${p}`)]) {
      restore(dir, saved, ['out', 'out-rejected']);
      r = zyda(['run', cfg], { env: { ZYDA_FAIL_AT: point } });
      assert.equal(r.code, -1, `the run dies at ${point}: ${r.stderr}`);
      assertConsistent(outs, `after a kill at ${point}`);
      r = zyda(['run', cfg]);
      assert.equal(r.code, 0, r.stderr);
      assertConsistent(outs, `after the rerun that follows a kill at ${point}`);
      outs.forEach((out, i) => {
        assert.deepEqual(outputDigest(out), expected[i], `${out} after a kill at ${point} and a rerun`);
        assert.deepEqual(strayFiles(out), [], `nothing the manifest does not name or retire is left (kill at ${point})`);
        assert.ok(!existsSync(join(out, '.zyda-commit.json')), 'no commit is left half done');
      });
    }
  } finally {
    cleanup(dir);
  }
});

const night = (n: number, docs: { id: string; text: string }[]) => (dir: string) => writeDocs(join(dir, 'in', `night-${n}.jsonl`), docs);
const fresh = (n: number, count: number) => Array.from({ length: count }, (_, i) => ({ id: `n${n}-${i}`, text: prose(n * 1000 + i) }));
const copies = (from: number, n: number, which: number[]) => which.map((i) => ({ id: `n${n}-copy-of-n${from}-${i}`, text: prose(from * 1000 + i) }));

test('incremental: kill -9 at every point of the commit; the rerun recovers, the index matches the manifest, and the next night drops copies of every earlier one', async () => {
  const dir = tempDir();
  try {
    const out = join(dir, 'out');
    const cfg = join(dir, 'nightly.yaml');
    writeFileSync(cfg, `output: ${out}\nincremental: true\nworkers: 2\nsources:\n  - {name: feed, paths: ${join(dir, 'in')}, id_field: id}\nstages:\n  - dedup: {threshold: 0.7}\n`);
    night(1, fresh(1, 8))(dir);
    assert.equal(zyda(['run', cfg]).code, 0);
    night(2, [...fresh(2, 8), ...copies(1, 2, [0, 1])])(dir);
    assert.equal(zyda(['run', cfg]).code, 0);
    const saved = join(dir, 'saved');
    mkdirSync(saved);
    restore(saved, dir, ['out', 'in']);

    for (const point of COMMIT_POINTS.map((p) => `commit-${p}`)) {
      restore(dir, saved, ['out', 'in']);
      night(3, [...fresh(3, 6), ...copies(2, 3, [0, 1, 2]), ...copies(1, 3, [2])])(dir);
      let r = zyda(['run', cfg], { env: { ZYDA_FAIL_AT: point } });
      assert.equal(r.code, -1, `the run dies at ${point}: ${r.stderr}`);
      assertConsistent([out], `after a kill at ${point}`);
      assert.equal(indexDocs(out), readManifestJson(out).totals.docs, `the index the manifest names holds its docs (kill at ${point})`);

      r = zyda(['run', cfg]);
      assert.equal(r.code, 0, r.stderr);
      assertConsistent([out], `after the rerun that follows a kill at ${point}`);
      assert.equal(indexDocs(out), readManifestJson(out).totals.docs, `the index matches the manifest after the rerun (kill at ${point})`);
      assert.deepEqual(strayFiles(out), [], `nothing the manifest does not name or retire is left (kill at ${point})`);

      // Night 4 repeats docs of nights 1, 2 and 3: all are duplicates.
      night(4, [...fresh(4, 3), ...copies(3, 4, [0, 1]), ...copies(2, 4, [3]), ...copies(1, 4, [3])])(dir);
      r = zyda(['run', cfg]);
      assert.equal(r.code, 0, r.stderr);
      const m = readManifestJson(out);
      assert.deepEqual(m.history!.map((h) => [h.run, h.docs_read, h.docs_added]), [[1, 8, 8], [2, 10, 8], [3, 10, 6], [4, 7, 3]], `kill at ${point}`);
      const ids = (await duck<{ id: string }>(`SELECT id FROM read_parquet('${shardGlob(out)}') ORDER BY id`)).map((x) => x.id);
      assert.deepEqual(ids, [...fresh(1, 8), ...fresh(2, 8), ...fresh(3, 6), ...fresh(4, 3)].map((d) => d.id).sort(), `kill at ${point}`);
      assert.equal(indexDocs(out), m.totals.docs);
      rmSync(join(dir, 'in', 'night-3.jsonl'));
      rmSync(join(dir, 'in', 'night-4.jsonl'));
    }
  } finally {
    cleanup(dir);
  }
});
