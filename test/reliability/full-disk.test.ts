import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, listFiles, outputDigest, readManifestJson, sampleConfig, tempDir, zyda } from '../helpers.js';

const mount = (dir: string, size: string) => spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
const umount = (dir: string) => spawnSync('umount', [dir]);

/** A full disk: the output and workdir on a 600 kB tmpfs (needs root to mount; skipped with a message otherwise). */
function cannotMount(): string | undefined {
  const dir = tempDir('zyda-mount-probe-');
  try {
    const r = mount(dir, '64k');
    if (r.status !== 0) return `cannot mount a small tmpfs here (${(r.stderr || r.error?.message || '').trim()}); run as root to test a full disk`;
    umount(dir);
    return undefined;
  } finally {
    cleanup(dir);
  }
}

test('a full disk fails the run with a clear error and nothing that looks finished; with room, the rerun completes', { skip: cannotMount() }, () => {
  const dir = tempDir();
  const disk = join(dir, 'disk');
  mkdirSync(disk);
  try {
    const clean = sampleConfig(dir, join(dir, 'clean'));
    assert.equal(zyda(['run', clean]).code, 0);

    assert.equal(mount(disk, '600k').status, 0);
    const cfg = sampleConfig(dir, join(disk, 'out'));
    let r = zyda(['run', cfg]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /ENOSPC|no space left on device/i);
    assert.ok(!existsSync(join(disk, 'out', 'manifest.json')), 'no manifest');
    const shards = existsSync(join(disk, 'out', 'data')) ? listFiles(join(disk, 'out', 'data')) : [];
    assert.deepEqual(shards.filter((f) => /train-\d/.test(f) && !f.includes('.tmp-')), [], 'no shard under a final name');

    // More room (the same directory, remounted bigger, keeping nothing): the rerun completes.
    umount(disk);
    assert.equal(mount(disk, '64m').status, 0);
    r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    const m = readManifestJson(join(disk, 'out'));
    const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    assert.equal(m.accounting.read, m.accounting.written + sum(m.accounting.dropped) + sum(m.accounting.duplicates) + sum(m.accounting.errored));
    assert.deepEqual(outputDigest(join(disk, 'out')), outputDigest(join(dir, 'clean')));
  } finally {
    umount(disk);
    cleanup(dir);
  }
});

test('on a full disk the error that stopped the task is reported, even though its .failed marker cannot be written', { skip: cannotMount() }, () => {
  const dir = tempDir();
  const disk = join(dir, 'disk');
  mkdirSync(disk);
  try {
    const input = join(dir, 'in');
    mkdirSync(input);
    // Enough text to fill the disk with the first pass's part, so nothing is left for the marker either.
    const line = (i: number) => JSON.stringify({ text: `${i} ${Array.from({ length: 80 }, (_, j) => ((i * 7919 + j * 104729) % 1000003).toString(36)).join(' ')}` });
    writeFileSync(join(input, 'a.jsonl'), Array.from({ length: 20_000 }, (_, i) => line(i)).join('\n') + '\n');
    const workdir = join(disk, 'work');
    const cfg = join(dir, 'pipeline.yaml');
    writeFileSync(cfg, [`output: ${join(dir, 'out')}`, `workdir: ${workdir}`, 'workers: 1', 'sources:', '  - name: s', `    paths: [${input}]`].join('\n') + '\n');
    assert.equal(mount(disk, '300k').status, 0);
    const r = zyda(['run', cfg]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /ENOSPC|no space left on device/i);
    assert.doesNotMatch(r.stderr, /writeJsonAtomic|\.failed/, 'the marker write\'s error hid the original one');
    const left = listFiles(join(workdir, 'steps'));
    assert.deepEqual(left.filter((f) => f.endsWith('.running') || f.endsWith('.failed') && f.includes('.tmp-')), [], 'no stale .running marker nor half-written .failed one');
  } finally {
    umount(disk);
    cleanup(dir);
  }
});
