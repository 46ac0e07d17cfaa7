import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, manifestProblems, readManifestJson, sha256Of, tempDir, zyda } from '../helpers.js';
import { snapshotConfig as config, strayFiles, writeInput } from './commit-fixture.js';
import type { Manifest } from '../../runtime/manifest.js';

/** Every file a manifest names, with its sha256 as the reader that opened the manifest saw it. */
function snapshot(out: string): { manifest: Manifest; files: Record<string, string> } {
  const manifest = readManifestJson(out);
  const files: Record<string, string> = {};
  for (const s of Object.values(manifest.sources)) for (const sh of s.shards) files[sh.path] = sha256Of(join(out, sh.path));
  const clusters = manifest.published?.dedup_clusters;
  if (clusters) files[clusters] = sha256Of(join(out, clusters));
  return { manifest, files };
}

test('a reader that opened the manifest before a rerun still finds every file it names, unchanged, until the next run', () => {
  const dir = tempDir();
  try {
    writeInput(dir);
    const outs = [join(dir, 'out'), join(dir, 'out-rejected')];
    let r = zyda(['run', config(dir, 10)]);
    assert.equal(r.code, 0, r.stderr);
    const before = outs.map(snapshot);
    assert.ok(Object.keys(before[0].files).length >= 3, 'several shards and the dedup clusters');

    // The rerun with a changed config replaces the output: the old snapshot stays readable, byte for byte.
    r = zyda(['run', config(dir, 20)]);
    assert.equal(r.code, 0, r.stderr);
    outs.forEach((out, i) => {
      for (const [rel, sha] of Object.entries(before[i].files)) {
        assert.ok(existsSync(join(out, rel)), `${rel}, named by the earlier manifest, is still there`);
        assert.equal(sha256Of(join(out, rel)), sha, `${rel} holds the bytes the earlier manifest names`);
      }
      assert.deepEqual(manifestProblems(out), []);
      const names = new Set(Object.keys(snapshot(out).files));
      for (const rel of Object.keys(before[i].files)) assert.ok(!names.has(rel), `the new manifest does not reuse ${rel}`);
    });

    // The next run removes the first snapshot; the second stays for the readers of its manifest.
    const second = outs.map(snapshot);
    r = zyda(['run', config(dir, 10)]);
    assert.equal(r.code, 0, r.stderr);
    outs.forEach((out, i) => {
      for (const rel of Object.keys(before[i].files)) assert.ok(!existsSync(join(out, rel)), `${rel} is gone`);
      for (const [rel, sha] of Object.entries(second[i].files)) assert.equal(sha256Of(join(out, rel)), sha, `${rel} is unchanged`);
      assert.deepEqual(manifestProblems(out), []);
    });
  } finally {
    cleanup(dir);
  }
});

test('a rerun deletes nothing its own manifests do not name: files shaped like zyda\'s stay', () => {
  const dir = tempDir();
  try {
    writeInput(dir);
    const out = join(dir, 'out');
    let r = zyda(['run', config(dir, 10)]);
    assert.equal(r.code, 0, r.stderr);
    // Someone else's files in zyda's output, under the names zyda used or uses for its own.
    const foreign = [
      join(out, 'data', 'feed', 'train-00000-of-00001.parquet'),
      join(out, 'data', 'web', 'train-00000-of-00001.parquet'),
      join(out, 'data', 'feed', 'g00001', 'train-00099-of-00100.parquet'),
      join(out, 'dedup', 'clusters.jsonl.zst'),
      join(out, 'dedup', 'index', 'index.json'),
      join(out, '.tmp-foo'),
      join(join(dir, 'out-rejected'), 'data', 'other', 'train-00000-of-00001.parquet'),
      join(join(dir, 'out-rejected'), '.tmp-foo'),
    ];
    for (const f of foreign) {
      mkdirSync(join(f, '..'), { recursive: true });
      writeFileSync(f, 'not zyda\'s');
    }
    for (const rows of [20, 10, 20]) {
      r = zyda(['run', config(dir, rows)]);
      assert.equal(r.code, 0, r.stderr);
    }
    for (const f of foreign) assert.equal(existsSync(f) && readFileSync(f, 'utf8'), 'not zyda\'s', `${f} is untouched`);
    assert.deepEqual(manifestProblems(out), []);
    assert.deepEqual(strayFiles(out), foreign.filter((f) => f.startsWith(join(out, 'data')) || f.startsWith(join(out, 'dedup'))).map((f) => f.slice(out.length + 1)).sort(), 'only the foreign files are not the manifest\'s');
  } finally {
    cleanup(dir);
  }
});
