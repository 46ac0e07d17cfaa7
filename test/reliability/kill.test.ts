import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, cleanup, outputDigest, readManifestJson, sampleConfig, tempDir, zyda } from '../helpers.js';

const KILLS = 20;

/** Starts `zyda run` in its own process group and SIGKILLs the group after `ms`, unless it ended first. */
function runAndKill(cfg: string, ms: number, force: boolean): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'run', cfg, ...(force ? ['--force'] : [])], { detached: true, stdio: 'ignore' });
    let ended = false;
    const timer = setTimeout(() => {
      if (!ended) process.kill(-child.pid!, 'SIGKILL');
    }, ms);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      ended = true;
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('finished');
      else reject(new Error(`zyda run exited with ${code}`));
    });
  });
}

test(`kill -9 at ${KILLS} random moments of the sample pipeline: every rerun resumes, and the output is byte-identical`, async () => {
  const dir = tempDir();
  try {
    const clean = sampleConfig(dir, join(dir, 'clean'));
    const r = zyda(['run', clean]);
    assert.equal(r.code, 0, r.stderr);
    const expected = outputDigest(join(dir, 'clean'));

    const cfg = sampleConfig(dir, join(dir, 'killed'));
    let seed = 20261128;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    let kills = 0;
    let finished = 0;
    let force = false;
    while (kills < KILLS) {
      // Kill anywhere from start-up to the commit; after a run that finished first, start over with --force.
      const outcome = await runAndKill(cfg, 200 + Math.floor(rnd() * 5000), force);
      if (outcome === 'killed') {
        kills++;
        force = false;
        // Nothing that looks finished is half-written: a manifest, if there is one, is whole and balances.
        if (existsSync(join(dir, 'killed', 'manifest.json'))) {
          const m = readManifestJson(join(dir, 'killed'));
          assert.equal(m.accounting.read, m.accounting.written + sum(m.accounting.dropped) + sum(m.accounting.duplicates) + sum(m.accounting.errored));
        }
      } else {
        finished++;
        force = true;
      }
    }
    const last = zyda(['run', cfg]);
    assert.equal(last.code, 0, last.stderr);
    assert.deepEqual(outputDigest(join(dir, 'killed')), expected);
    const m = readManifestJson(join(dir, 'killed'));
    assert.equal(m.accounting.read, m.accounting.written + sum(m.accounting.dropped) + sum(m.accounting.duplicates) + sum(m.accounting.errored));
    process.stderr.write(`# ${kills} kills, ${finished} runs finished before their kill\n`);
  } finally {
    cleanup(dir);
  }
});

const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);

test('temporary files a killed commit leaves in the output (shards, dedup clusters, manifest) are gone after the rerun, and no one else\'s', () => {
  const dir = tempDir();
  try {
    const out = join(dir, 'out');
    const cfg = sampleConfig(dir, out);
    assert.equal(zyda(['run', cfg]).code, 0);
    const before = outputDigest(out);
    // What a kill -9 between a temp file's creation and its rename leaves, in each folder the commit writes to.
    const leftovers = [join(out, '.tmp-999-abcdef-manifest.json'), join(out, 'dedup', 'g00001', '.tmp-999-abcdef-clusters.jsonl.zst'), join(out, 'data', 'web', '.tmp-999-w0-shard-00000.parquet')];
    for (const f of leftovers) writeFileSync(f, '');
    // Names like zyda's that zyda does not write there are someone else's.
    const foreign = [join(out, '.tmp-foo'), join(out, '.tmp-999-abcdef-notes.txt'), join(out, 'data', 'web', '.tmp-999-abcdef-manifest.json'), join(out, 'dedup', '.tmp-999-abcdef-clusters.jsonl.zst')];
    for (const f of foreign) writeFileSync(f, 'not zyda\'s');
    const r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /is up to date/);
    for (const f of leftovers) assert.ok(!existsSync(f), `${f} is still there`);
    for (const f of foreign) assert.equal(readFileSync(f, 'utf8'), 'not zyda\'s', `${f} survives`);
    assert.deepEqual(outputDigest(out), before);
  } finally {
    cleanup(dir);
  }
});
