import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cleanup, listFiles, readManifestJson, tempDir, zyda } from '../helpers.js';

/** sha256 of every file under `dir`, by relative path: "nothing touched" is this map unchanged. */
function tree(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((f) => [relative(dir, f), createHash('sha256').update(readFileSync(f)).digest('hex')]));
}

function writeDocs(path: string, n: number, extra = ''): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify({ text: `document number ${i} of a small test corpus` }));
  writeFileSync(path, lines.join('\n') + '\n' + extra);
}

interface Paths {
  output: string;
  inputs: string[];
  workdir?: string;
  keep_rejected?: string;
  name?: string;
}

/** A pipeline YAML over the given paths, with a filter (so keep_rejected has something to hold). */
function config(dir: string, p: Paths, file = 'pipeline.yaml'): string {
  const lines = [
    `name: ${p.name ?? 'paths-test'}`,
    `output: ${p.output}`,
    ...(p.workdir ? [`workdir: ${p.workdir}`] : []),
    ...(p.keep_rejected ? [`keep_rejected: ${p.keep_rejected}`] : []),
    'workers: 1',
    'sources:',
    '  - name: web',
    `    paths: [${p.inputs.map((i) => JSON.stringify(i)).join(', ')}]`,
    'stages:',
    '  - filter: {zyda: {min_length: 10}}',
  ];
  const path = join(dir, file);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

test('an output directory zyda did not make is refused before any work, --force or not; --overwrite-foreign-output writes beside its files', () => {
  const dir = tempDir();
  try {
    writeDocs(join(dir, 'in', 'a.jsonl'), 20);
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'my notes\n');
    const cfg = config(dir, { output: out, inputs: [join(dir, 'in')] });
    for (const args of [['run', cfg], ['run', cfg, '--force'], ['validate', cfg], ['steps', cfg]]) {
      const r = zyda(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /output .*out holds 1 entry that zyda did not write: notes\.txt/);
      assert.match(r.stderr, /--overwrite-foreign-output/);
      assert.deepEqual(readdirSync(out), ['notes.txt'], 'nothing was written into it: no lock, no workdir, no stamp');
    }

    // A Hugging Face dataset's layout, where zyda's shard names would land: refused at once, the file byte-identical.
    const hf = join(dir, 'hf');
    mkdirSync(join(hf, 'data'), { recursive: true });
    writeFileSync(join(hf, 'data', 'train-00000-of-00001.parquet'), randomBytes(4096));
    const hfBefore = tree(hf);
    const r = zyda(['run', config(dir, { output: hf, inputs: [join(dir, 'in')] }, 'hf.yaml')]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /data\/train-00000-of-00001\.parquet/);
    assert.deepEqual(readdirSync(hf), ['data']);
    assert.deepEqual(tree(hf), hfBefore);

    // A keep_rejected directory is an output too.
    const rejected = join(dir, 'rejected');
    mkdirSync(rejected);
    writeFileSync(join(rejected, 'keep.me'), 'x');
    const rr = zyda(['run', config(dir, { output: join(dir, 'other'), inputs: [join(dir, 'in')], keep_rejected: rejected }, 'rej.yaml')]);
    assert.equal(rr.code, 2, rr.stderr);
    assert.match(rr.stderr, /keep_rejected .*rejected holds 1 entry that zyda did not write: keep\.me/);
    assert.ok(!existsSync(join(dir, 'other')), 'refused before the output was made');

    // Asked for, the run writes beside the foreign file, which stays as it was; the directory is zyda's from then on.
    const notes = tree(out);
    const ok = zyda(['run', cfg, '--overwrite-foreign-output']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(readManifestJson(out).totals.docs, 20);
    assert.equal(readFileSync(join(out, 'notes.txt'), 'utf8'), 'my notes\n');
    assert.deepEqual(Object.fromEntries(Object.entries(tree(out)).filter(([f]) => f === 'notes.txt')), notes);
    assert.equal(zyda(['run', cfg, '--force']).code, 0);
    assert.equal(readFileSync(join(out, 'notes.txt'), 'utf8'), 'my notes\n');
  } finally {
    cleanup(dir);
  }
});

test("an output of another dataset is refused; the same dataset's output, old or half-made, is accepted", () => {
  const dir = tempDir();
  try {
    writeDocs(join(dir, 'in', 'a.jsonl'), 20);
    const out = join(dir, 'out');
    const mine = config(dir, { output: out, inputs: [join(dir, 'in')], name: 'mine' }, 'mine.yaml');
    const theirs = config(dir, { output: out, inputs: [join(dir, 'in')], name: 'theirs' }, 'theirs.yaml');
    assert.equal(zyda(['run', mine]).code, 0);
    const before = tree(out);
    let r = zyda(['run', theirs, '--force']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /holds dataset "mine" .*not "theirs"/);
    assert.deepEqual(tree(out), before);

    // An output made before outputs were stamped: its manifest names the dataset.
    rmSync(join(out, '.zyda-output.json'));
    r = zyda(['run', theirs]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /holds dataset "mine" \(its manifest\.json says so\)/);
    assert.equal(zyda(['run', mine, '--force']).code, 0, 'the dataset that made it may rerun');

    // A first run killed before it committed leaves its stamp and workdir, or only a workdir and temporary files.
    for (const leftovers of [
      ['.zyda-output.json', '.zyda/'],
      ['.zyda/', '.zyda.lock', '.tmp-4242-abc123-.zyda-output.json'],
    ]) {
      const crashed = join(dir, 'crashed');
      rmSync(crashed, { recursive: true, force: true });
      mkdirSync(crashed);
      for (const f of leftovers) {
        if (f.endsWith('/')) mkdirSync(join(crashed, f, 'steps'), { recursive: true });
        else writeFileSync(join(crashed, f), f === '.zyda-output.json' ? JSON.stringify({ name: 'mine', created_at: '2026-01-01T00:00:00Z' }) : '{}');
      }
      r = zyda(['run', config(dir, { output: crashed, inputs: [join(dir, 'in')], name: 'mine' }, 'crashed.yaml')]);
      assert.equal(r.code, 0, `${leftovers.join(', ')}: ${r.stderr}`);
      assert.equal(readManifestJson(crashed).totals.docs, 20);
    }
  } finally {
    cleanup(dir);
  }
});

test('overlapping paths are refused by validate and run, naming both; the output is never read back in', () => {
  const dir = tempDir();
  try {
    const input = join(dir, 'in');
    writeDocs(join(input, 'a.jsonl'), 100);
    symlinkSync(input, join(dir, 'alias'));
    const cases: [string, Paths, string, string][] = [
      ['output inside an input', { output: join(input, 'out'), inputs: [input] }, join(input, 'out'), input],
      ['output equal to an input', { output: input, inputs: [input] }, input, input],
      ['output holding an input', { output: dir, inputs: [join(input, 'a.jsonl')] }, dir, join(input, 'a.jsonl')],
      ['output reached by a glob', { output: join(input, 'out'), inputs: [join(input, '**', '*.parquet')] }, join(input, 'out'), join(input, '**', '*.parquet')],
      ['output inside an input through a symlink', { output: join(dir, 'alias', 'out'), inputs: [input] }, join(dir, 'alias', 'out'), input],
      ['workdir inside an input', { output: join(dir, 'out'), workdir: join(input, 'work'), inputs: [input] }, join(input, 'work'), input],
      ['keep_rejected inside the output', { output: join(dir, 'out'), keep_rejected: join(dir, 'out', 'rejected'), inputs: [input] }, join(dir, 'out', 'rejected'), join(dir, 'out')],
      ['keep_rejected equal to the output', { output: join(dir, 'out'), keep_rejected: join(dir, 'out'), inputs: [input] }, join(dir, 'out'), join(dir, 'out')],
      ['keep_rejected holding the output', { output: join(dir, 'all', 'out'), keep_rejected: join(dir, 'all'), inputs: [input] }, join(dir, 'all'), join(dir, 'all', 'out')],
      ['keep_rejected inside an input', { output: join(dir, 'out'), keep_rejected: join(input, 'rejected'), inputs: [input] }, join(input, 'rejected'), input],
      ['keep_rejected holding an input', { output: join(dir, 'out'), keep_rejected: dir, inputs: [join(input, 'a.jsonl')] }, dir, join(input, 'a.jsonl')],
    ];
    const before = tree(dir);
    for (const [what, paths, a, b] of cases) {
      const cfg = config(dir, paths, 'overlap.yaml');
      for (const command of ['validate', 'run']) {
        const r = zyda([command, cfg]);
        assert.equal(r.code, 2, `${what}, zyda ${command}: ${r.stderr}`);
        assert.ok(r.stderr.includes(`${a} `) && r.stderr.includes(`${b} `), `${what}, zyda ${command}: names both paths: ${r.stderr}`);
      }
      assert.deepEqual(tree(dir), { ...before, 'overlap.yaml': tree(dir)['overlap.yaml'] }, `${what}: nothing written`);
    }

    // A glob that cannot reach the output, stdin, and a finished zyda output read by another run are not overlaps.
    let r = zyda(['run', config(dir, { output: join(input, 'out'), inputs: [join(input, '*.jsonl')] }, 'flat.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    r = zyda(['run', join(dir, 'flat.yaml')]);
    assert.match(r.stderr, /is up to date/, 'the rerun finds the same input files');
    assert.equal(readManifestJson(join(input, 'out')).accounting.read, 100);
    r = zyda(['tokens', '-i', '-', '-o', join(dir, 'from-stdin')], { input: '{"text":"one doc from stdin"}\n' });
    assert.equal(r.code, 0, r.stderr);
    r = zyda(['tokens', '-i', join(input, 'out'), '-o', join(dir, 'chained')]);
    assert.equal(r.code, 0, r.stderr);
    r = zyda(['tokens', '-i', join(dir, 'chained'), '-o', join(dir, 'chained')]);
    assert.equal(r.code, 2, r.stderr);
  } finally {
    cleanup(dir);
  }
});

test('a workdir shared with other files: a run and a --force run remove only the logs and markers zyda wrote', () => {
  const dir = tempDir();
  try {
    writeDocs(join(dir, 'in', 'a.jsonl'), 20, '{"text": broken\n');
    const work = join(dir, 'work');
    const mine = ['logs/errors/notes.txt', 'logs/errors/task-old.txt', 'steps/README', 'steps/seg0/notes.txt', 'notes.txt'];
    for (const f of mine) {
      mkdirSync(join(work, f, '..'), { recursive: true });
      writeFileSync(join(work, f), `user file ${f}\n`);
    }
    const before = tree(work);
    const userFiles = (t: Record<string, string>) => Object.fromEntries(Object.entries(t).filter(([f]) => mine.includes(f)));
    const cfg = config(dir, { output: join(dir, 'out'), workdir: work, inputs: [join(dir, 'in')] });
    for (const args of [['run', cfg], ['run', cfg, '--force']]) {
      const r = zyda(args);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(userFiles(tree(work)), before, `${args.join(' ')}: the user's files are unchanged`);
      // zyda's own log is still started afresh by each run: one problem, not one per run.
      const log = readFileSync(join(work, 'logs', 'errors', 'task-000000.jsonl'), 'utf8').trim().split('\n');
      assert.equal(log.length, 1, log.join('\n'));
    }
  } finally {
    cleanup(dir);
  }
});
