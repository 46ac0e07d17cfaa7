import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { compress } from 'zstd-napi';
import { cleanup, listFiles, readManifestJson, tempDir, zyda } from '../helpers.js';

const WORDS = 'the quick brown fox jumps over lazy dog river stone mountain cloud paper glass window market energy signal garden winter summer'.split(' ');

/** Varied text, so that compression leaves something for shards to fill. */
function prose(seed: number, words: number): string {
  let x = seed * 2654435761 + 1;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.push(WORDS[x % WORDS.length] + (x % 97 === 0 ? '.' : ''));
  }
  return out.join(' ');
}

function corpus(dir: string): void {
  mkdirSync(join(dir, 'in'), { recursive: true });
  for (let f = 0; f < 5; f++) {
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) lines.push(JSON.stringify({ text: `file ${f} doc ${i} ` + prose(f * 1000 + i, 20 + ((i * 7 + f) % 13) * 10), k: i }));
    if (f === 2) lines.splice(100, 0, '{"broken": ');
    const body = lines.join('\n') + '\n';
    // A big plain file that the planner splits into byte ranges, and compressed ones that it cannot.
    writeFileSync(join(dir, 'in', f % 2 === 0 ? `part-${f}.jsonl` : `part-${f}.jsonl.zst`), f % 2 === 0 ? body : compress(Buffer.from(body)));
  }
}

const stable = (dir: string) => {
  const m = readManifestJson(dir) as unknown as Record<string, unknown>;
  delete m.created_at;
  delete m.timings;
  // The identity of the run's tasks: another task split is another set of tasks.
  delete m.run_identity;
  return m;
};

test('the same output for 1 and 4 workers and for different task splits', () => {
  const dir = tempDir();
  try {
    corpus(dir);
    const outs = [
      ['w1', ['--workers', '1']],
      ['w4', ['--workers', '4']],
      ['split', ['--workers', '2', '--task-bytes', '20000']],
      ['onetask', ['--workers', '2', '--task-bytes', '1GB']],
    ] as const;
    for (const [name, flags] of outs) {
      // Small shards and row groups so several shards and row groups exist to compare.
      const r = zyda(['tokens', '--input', join(dir, 'in'), '--source', 'web', '-o', join(dir, name), '--shard-max-bytes', '40000', '--row-group-rows', '300', ...flags]);
      assert.equal(r.code, 0, r.stderr);
    }
    const ref = stable(join(dir, 'w1'));
    const refShards = listFiles(join(dir, 'w1', 'data'));
    assert.ok(refShards.length >= 3, `several shards (${refShards.length})`);
    // Each input file is bigger than shard_max_bytes, so several write tasks share its docs, run in parallel.
    const writeTasks = readdirSync(join(dir, 'w4', '.zyda', 'steps', 'write')).filter((f) => /^task-\d+\.json$/.test(f));
    assert.ok(writeTasks.length >= 10, `${writeTasks.length} write tasks for 5 input files`);
    assert.equal((ref.accounting as { errored: Record<string, number> }).errored.malformed_json, 1);
    for (const [name] of outs.slice(1)) {
      assert.deepEqual(stable(join(dir, name)), ref, `${name} manifest`);
      const shards = listFiles(join(dir, name, 'data'));
      assert.deepEqual(shards.map((s) => s.replace(join(dir, name), '')), refShards.map((s) => s.replace(join(dir, 'w1'), '')));
      for (let i = 0; i < shards.length; i++) assert.ok(readFileSync(shards[i]).equals(readFileSync(refShards[i])), `${name}: ${shards[i]} is byte-identical`);
    }
  } finally {
    cleanup(dir);
  }
});

test('the rejected docs come in input order, whatever the batch size, when several stages of a pass drop docs', () => {
  const dir = tempDir();
  try {
    corpus(dir);
    // Two filter stages in one pass: which of them drops a doc must not decide where the doc lands.
    const outs = ['small', 'large'];
    for (const [i, name] of outs.entries()) {
      const r = zyda([
        'run', writeFiltersConfig(dir, name),
        '--batch-bytes', i === 0 ? '1000' : '1MB',
      ]);
      assert.equal(r.code, 0, r.stderr);
    }
    const [a, b] = outs.map((name) => listFiles(join(dir, `${name}-rejected`, 'data')));
    assert.ok(a.length > 0);
    const reasons = (readManifestJson(join(dir, 'small')) as unknown as { accounting: { dropped: Record<string, number> } }).accounting.dropped;
    assert.ok(Object.keys(reasons).some((k) => k.startsWith('filter/zyda/')) && Object.keys(reasons).some((k) => k.startsWith('filter/c4/')), `both stages drop docs: ${JSON.stringify(reasons)}`);
    for (let i = 0; i < a.length; i++) assert.ok(readFileSync(a[i]).equals(readFileSync(b[i])), `${a[i]} is byte-identical`);
  } finally {
    cleanup(dir);
  }
});

function writeFiltersConfig(dir: string, name: string): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    `output: ${join(dir, name)}
keep_rejected: ${join(dir, `${name}-rejected`)}
sources: [{name: web, paths: ${join(dir, 'in')}}]
stages:
  - filter: {zyda: {min_length: 600}}
  - filter: {c4: {}}
`,
  );
  return path;
}
