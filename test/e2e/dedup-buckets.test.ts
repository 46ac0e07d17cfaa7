import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { layout } from '../../dedup/layout.js';
import { RecordReader } from '../../dedup/record-file.js';
import type { DedupDecision } from '../../stages/dedup/index.js';
import { seededProse as prose } from '../prose.js';
import { cleanup, outputDigest, readManifestJson, tempDir, zyda } from '../helpers.js';

/** Two sources of 3 files × 200 docs: every 6th doc an exact copy of a doc elsewhere, every 9th a near copy. */
function writeInput(dir: string): void {
  for (const [source, base] of [['best', 0], ['worse', 5000]] as const) {
    mkdirSync(join(dir, 'in', source), { recursive: true });
    for (let f = 0; f < 3; f++) {
      const rows = Array.from({ length: 200 }, (_, i) => {
        const text = i % 6 === 0 ? prose((i * 13) % 600) : i % 9 === 0 ? prose(700 + ((i * 7) % 600)).replace(/ \S+ /, ' changed ') : prose(base + f * 1000 + i);
        return JSON.stringify({ id: `${source}-${f}-${i}`, text });
      });
      writeFileSync(join(dir, 'in', source, `part-${f}.jsonl`), rows.join('\n') + '\n');
    }
  }
}

function config(dir: string, workers: number, taskBytes: string): string {
  const cfg = join(dir, `w${workers}-${taskBytes}.yaml`);
  const sources = ['best', 'worse'].map((s, rank) => `  - {name: ${s}, paths: ${join(dir, 'in', s)}, id_field: id, rank: ${rank}}`).join('\n');
  writeFileSync(cfg, `output: ${join(dir, 'out')}\nworkers: ${workers}\ntask_bytes: ${taskBytes}\nprogress: off\nkeep_intermediates: true\nsources:\n${sources}\nstages:\n  - dedup: {exact: true, threshold: 0.7, cluster_columns: true}\n`);
  return cfg;
}

const stageDir = (dir: string) => join(dir, 'out', '.zyda', 'stages', '0-dedup');
const bucketsTasks = (cfg: string, env: Record<string, string> = {}) => Number(/^0-dedup\.buckets\s+(\d+)$/m.exec(zyda(['steps', cfg], { env }).stdout)?.[1]);

/** The exact keys and each band: the buckets step's jobs. */
const jobs = (dir: string) => 1 + (JSON.parse(readFileSync(join(stageDir(dir), 'decision.json'), 'utf8')) as DedupDecision).shape.bands;

/** Every edge of the exact keys and of each band, its parts read in order, as one list per band. */
function edges(dir: string, parts: number): number[][] {
  const bands: (number | 'exact')[] = ['exact', ...Array.from({ length: jobs(dir) - 1 }, (_, b) => b)];
  return bands.map((band) => Array.from({ length: parts }, (_, p) => [...new RecordReader(layout.edges(stageDir(dir), band, p, parts), 'edges', 'test').readAll()]).flat());
}

// Any input size gives 8 parts a band: the most there are.
const SPLIT = { ZYDA_DEDUP_PART_BYTES: '1' };

test('the buckets step split by key range: the same edges, clusters and output for any worker count, task split and merge', () => {
  const dir = tempDir();
  try {
    writeInput(dir);
    const whole = config(dir, 1, '1GB');
    let r = zyda(['run', whole]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(bucketsTasks(whole), jobs(dir), 'small input: one task for the exact keys and one per band');
    const expected = outputDigest(join(dir, 'out'));
    const expectedEdges = edges(dir, 1);
    assert.ok(expectedEdges[0].length > 0 && expectedEdges.slice(1).some((e) => e.length > 0), 'exact and near edges to compare');
    assert.ok(Object.values(readManifestJson(join(dir, 'out')).accounting.duplicates).reduce((a, b) => a + b, 0) > 50);

    const runs = [
      { workers: 2, taskBytes: '20kB', env: SPLIT },
      // The merge of sorted files instead of the in-memory sort, in rounds of two files.
      { workers: 4, taskBytes: '50kB', env: { ...SPLIT, ZYDA_DEDUP_IN_MEMORY_RECORDS: '0', ZYDA_DEDUP_FAN_IN: '2' } },
      { workers: 3, taskBytes: '1GB', env: { ZYDA_DEDUP_IN_MEMORY_RECORDS: '0' } },
    ];
    for (const { workers, taskBytes, env } of runs) {
      const cfg = config(dir, workers, taskBytes);
      const parts = 'ZYDA_DEDUP_PART_BYTES' in env ? 8 : 1;
      assert.equal(bucketsTasks(cfg, env), jobs(dir) * parts);
      r = zyda(['run', cfg, '--force'], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(outputDigest(join(dir, 'out')), expected, `${workers} workers, task_bytes ${taskBytes}, ${JSON.stringify(env)}`);
      assert.deepEqual(edges(dir, parts), expectedEdges);
    }
  } finally {
    cleanup(dir);
  }
});

test('a run killed in the middle of the buckets step resumes, on another worker count, to the same bytes', () => {
  const dir = tempDir();
  try {
    writeInput(dir);
    let r = zyda(['run', config(dir, 1, '50kB')]);
    assert.equal(r.code, 0, r.stderr);
    const expected = outputDigest(join(dir, 'out'));

    const tasks = jobs(dir) * 8;
    const cfg = config(dir, 2, '50kB');
    // Killed as the marker of the 13th buckets task is written.
    const killed = zyda(['run', cfg, '--force'], { env: { ...SPLIT, ZYDA_FAIL_AT: 'done-0-dedup.buckets-12' } });
    assert.equal(killed.code, -1, `killed, not ${killed.code}: ${killed.stderr}`);
    const resumed = zyda(['run', config(dir, 1, '50kB')], { env: SPLIT });
    assert.equal(resumed.code, 0, resumed.stderr);
    const done = new RegExp(`0-dedup\\.buckets: (\\d+) of ${tasks} tasks already done`).exec(resumed.stdout + resumed.stderr);
    assert.ok(done && Number(done[1]) >= 1 && Number(done[1]) < tasks, resumed.stdout + resumed.stderr);
    assert.deepEqual(outputDigest(join(dir, 'out')), expected);
  } finally {
    cleanup(dir);
  }
});

test('a workdir whose buckets step was split otherwise redoes that step rather than read its markers as this split', () => {
  const dir = tempDir();
  try {
    writeInput(dir);
    const cfg = config(dir, 2, '50kB');
    let r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    const expected = outputDigest(join(dir, 'out'));
    // Its markers are numbered as the first tasks of the split step: none of them is that task's work.
    for (const env of [SPLIT, {}]) {
      r = zyda(['run', cfg], { env });
      assert.equal(r.code, 0, r.stderr);
      const log = r.stdout + r.stderr;
      assert.match(log, /seg0: \d+ of \d+ tasks already done, 0 to run/);
      assert.doesNotMatch(log, /0-dedup\.buckets: \d+ of \d+ tasks already done/);
      assert.deepEqual(outputDigest(join(dir, 'out')), expected);
    }
  } finally {
    cleanup(dir);
  }
});
