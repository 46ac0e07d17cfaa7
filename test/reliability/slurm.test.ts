import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, outputDigest, sampleConfig, tempDir, zyda } from '../helpers.js';

/** Why this machine cannot run the Slurm test, or undefined when it can. */
function noSlurm(): string | undefined {
  if (process.env.SKIP_SLURM === '1') return 'SKIP_SLURM=1';
  const sinfo = spawnSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8' });
  if (sinfo.error || sinfo.status !== 0) return 'no running Slurm here (.ci/run starts one with ../shared/tools/slurm-single-node.sh)';
  return undefined;
}

const skip = noSlurm();

test('the sample pipeline on real Slurm gives the local output; hostile paths run nothing; a rerun submits only unfinished tasks', { skip }, () => {
  const dir = tempDir();
  try {
    const local = sampleConfig(dir, join(dir, 'local'));
    let r = zyda(['run', local]);
    assert.equal(r.code, 0, r.stderr);

    // Quotes, $(…) and backticks in the config's path and the output's: they reach sbatch and the job script
    // only as single-quoted literals, so nothing runs.
    const hostile = join(dir, `it's $(touch PWNED) \`touch PWNED2\` "q"`);
    mkdirSync(hostile);
    const cfg = sampleConfig(hostile, join(hostile, 'out'));
    r = zyda(['run', cfg, '--executor', 'slurm', '--wait'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /submitted seg0: job \d+, tasks 0-3/);
    assert.match(r.stderr, /submitted commit: job \d+/);
    assert.ok(!existsSync(join(dir, 'PWNED')) && !existsSync(join(dir, 'PWNED2')) && !existsSync(join(hostile, 'PWNED')), 'nothing ran');
    assert.deepEqual(outputDigest(join(hostile, 'out')), outputDigest(join(dir, 'local')));

    // A rerun after the first pass was done elsewhere submits only what is left.
    const again = sampleConfig(dir, join(dir, 'again'));
    assert.equal(zyda(['dedup', 'signatures', again, '--task', '0', '--tasks', '2']).code, 0);
    r = zyda(['run', again, '--executor', 'slurm', '--wait']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /submitted seg0: job \d+, tasks 1,3;/);
    assert.deepEqual(outputDigest(join(dir, 'again')), outputDigest(join(dir, 'local')));
  } finally {
    cleanup(dir);
  }
});
