import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, cleanup, duck, needsShared, outputDigest, oneTaskPerFile, ROOT, sampleConfig, shardGlob, tempDir, zyda } from '../helpers.js';

/** Why this machine cannot run the Slurm test, or undefined when it can. */
function noSlurm(): string | undefined {
  if (process.env.SKIP_SLURM === '1') return 'SKIP_SLURM=1';
  const sinfo = spawnSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8' });
  if (sinfo.error || sinfo.status !== 0) return needsShared('tools/slurm-single-node.sh') ?? 'no running Slurm here (.ci/run starts one with ../shared/tools/slurm-single-node.sh)';
  return undefined;
}

const skip = noSlurm();

test('the sample pipeline on real Slurm gives the local output; hostile paths run nothing; a rerun submits only unfinished tasks; a failed task is named with its job and log', { skip }, async () => {
  const dir = tempDir();
  try {
    const local = oneTaskPerFile(sampleConfig(dir, join(dir, 'local')));
    let r = zyda(['run', local]);
    assert.equal(r.code, 0, r.stderr);

    // Quotes, $(…) and backticks in the config's path and the output's: they reach sbatch and the job script
    // only as single-quoted literals, so nothing runs.
    const hostile = join(dir, `it's $(touch PWNED) \`touch PWNED2\` "q"`);
    mkdirSync(hostile);
    const cfg = oneTaskPerFile(sampleConfig(hostile, join(hostile, 'out')));
    r = zyda(['run', cfg, '--executor', 'slurm', '--wait'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /submitted seg0: job \d+, tasks 0-3/);
    assert.match(r.stderr, /submitted commit: job \d+/);
    assert.ok(!existsSync(join(dir, 'PWNED')) && !existsSync(join(dir, 'PWNED2')) && !existsSync(join(hostile, 'PWNED')), 'nothing ran');
    assert.deepEqual(outputDigest(join(hostile, 'out')), outputDigest(join(dir, 'local')));

    // A rerun after the first pass was done elsewhere submits only what is left.
    const again = oneTaskPerFile(sampleConfig(dir, join(dir, 'again')));
    assert.equal(zyda(['dedup', 'signatures', again, '--task', '0', '--tasks', '2']).code, 0);
    r = zyda(['run', again, '--executor', 'slurm', '--wait']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /submitted seg0: job \d+, tasks 1,3;/);
    assert.deepEqual(outputDigest(join(dir, 'again')), outputDigest(join(dir, 'local')));

    // A task that fails on the cluster: its input vanishes after submission (jobs start 3 s later).
    // --wait exits 1, and zyda status names the failed task with its Slurm job and log.
    mkdirSync(join(dir, 'in'));
    for (const f of ['a', 'b']) writeFileSync(join(dir, 'in', `${f}.jsonl`), Array.from({ length: 20 }, (_, i) => JSON.stringify({ text: `doc ${f} ${i} with some words` })).join('\n') + '\n');
    const small = join(dir, 'small.yaml');
    // task_bytes below the two files together: each file is a task of its own, and b's task is task 1.
    writeFileSync(small, `output: ${join(dir, 'small')}\ntask_bytes: 1000\nsources:\n  - {name: s, paths: ${join(dir, 'in')}}\nslurm: {sbatch_args: ["--begin=now+3"]}\n`);
    const pending = spawn(process.execPath, [CLI, 'run', small, '--executor', 'slurm', '--wait'], { env: { ...process.env, ZYDA_LOG_FORMAT: 'text' } });
    let err = '';
    pending.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const poll = setInterval(() => {
        if (err.includes('submitted commit')) {
          clearInterval(poll);
          rmSync(join(dir, 'in', 'b.jsonl'));
        }
      }, 50);
      pending.on('exit', (c) => {
        clearInterval(poll);
        resolve(c);
      });
    });
    assert.equal(code, 1, err);
    assert.match(err, /did not all complete/);
    const status = zyda(['status', join(dir, 'small', '.zyda', 'slurm', 'config.json')]);
    assert.match(status.stdout, /failed: seg0 task 1: Slurm job \d+_1 FAILED; log .*logs\/\d+_1\.log/);
    assert.match(status.stdout, /seg0\s+2\s+1\s+0\s+1\s+0/);
  } finally {
    cleanup(dir);
  }
});

test('a hostile source name never reaches a shell: the config is refused before anything is submitted', () => {
  const dir = tempDir();
  try {
    mkdirSync(join(dir, 'in'));
    writeFileSync(join(dir, 'in', 'a.jsonl'), '{"text": "hello"}\n');
    for (const name of ['x$(touch PWNED)', "it's", 'a;touch PWNED', '`touch PWNED`']) {
      const cfg = join(dir, 'cfg.yaml');
      writeFileSync(cfg, `output: ${join(dir, 'out')}\nexecutor: slurm\nsources:\n  - {name: ${JSON.stringify(name)}, paths: ${join(dir, 'in')}}\n`);
      const r = zyda(['run', cfg], { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /a source name uses letters, digits/);
      assert.ok(!existsSync(join(dir, 'PWNED')) && !existsSync(join(dir, 'out')));
    }
  } finally {
    cleanup(dir);
  }
});

test('Slurm jobs load the plugins a config names: the column of a plugin stage is in the shards the jobs wrote', { skip }, async () => {
  const dir = tempDir();
  try {
    mkdirSync(join(dir, 'in'));
    for (const f of ['a', 'b']) writeFileSync(join(dir, 'in', `${f}.jsonl`), Array.from({ length: 5 }, (_, i) => JSON.stringify({ text: `doc ${f} ${i} has ${'word '.repeat(i)}words` })).join('\n') + '\n');
    const cfg = join(dir, 'p.yaml');
    writeFileSync(cfg, `output: ${join(dir, 'out')}\ntask_bytes: 100\nplugins: [${join(ROOT, 'examples', 'word-count-stage.js')}]\nsources:\n  - {name: s, paths: ${join(dir, 'in')}}\nstages:\n  - word_count: {}\n`);
    const r = zyda(['run', cfg, '--executor', 'slurm', '--wait']);
    assert.equal(r.code, 0, r.stderr);
    const rows = await duck<{ text: string; word_count: number }>(`SELECT text, word_count FROM read_parquet('${shardGlob(join(dir, 'out'))}') ORDER BY id`);
    assert.equal(rows.length, 10);
    for (const row of rows) assert.equal(row.word_count, row.text.split(/\s+/).length, row.text);
  } finally {
    cleanup(dir);
  }
});
