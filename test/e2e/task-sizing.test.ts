import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { compress } from 'zstd-napi';
import { CPU_PROFILE_FILE, type CpuProfile } from '../../executors/cpu-profile.js';
import type { PlanFile } from '../../runtime/plan-file.js';
import '../../stages/builtins.js';
import { stepsOf } from '../../runtime/steps.js';
import { AUTO_MIN_TASK_BYTES } from '../../runtime/task-size.js';
import { MIN_RANGE_TEXT } from '../../runtime/text-ranges.js';
import { cleanup, listFiles, readManifestJson, sha256Of, tempDir, zyda } from '../helpers.js';

const WORDS = 'alpha beta gamma delta river stone cloud paper glass window market energy signal garden winter summer'.split(' ');

/** JSON lines of varied prose, `bytes` or a little more in all. */
function jsonl(bytes: number): string {
  const lines: string[] = [];
  let x = 7;
  let n = 0;
  for (let i = 0; n < bytes; i++) {
    const words: string[] = [];
    for (let w = 0; w < 150 + (i % 50); w++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      // Some words made of the generator's own bits, so the text does not compress to nothing.
      words.push(x % 4 === 0 ? (x >>> 8).toString(36) : WORDS[x % WORDS.length]);
    }
    const line = JSON.stringify({ text: `doc ${i} ${words.join(' ')}` });
    lines.push(line);
    n += line.length + 1;
  }
  return lines.join('\n') + '\n';
}

const planOf = (out: string) => JSON.parse(readFileSync(join(out, '.zyda', 'plan.json'), 'utf8')) as PlanFile;

test('by default a large plain file is cut into several tasks, with the output of a one-task run', () => {
  const dir = tempDir();
  try {
    mkdirSync(join(dir, 'in'));
    // Just over two of the smallest automatic tasks: three tasks.
    writeFileSync(join(dir, 'in', 'big.jsonl'), jsonl(2 * AUTO_MIN_TASK_BYTES + 300_000));
    const run = (out: string, flags: string[]) => zyda(['tokens', '--input', join(dir, 'in'), '--source', 'web', '-o', join(dir, out), '--shard-max-bytes', '1MB', ...flags]);
    let r = run('auto', ['--workers', '2']);
    assert.equal(r.code, 0, r.stderr);
    r = run('whole', ['--workers', '1', '--task-bytes', '1GB']);
    assert.equal(r.code, 0, r.stderr);

    const plan = planOf(join(dir, 'auto'));
    assert.equal(plan.task_bytes, AUTO_MIN_TASK_BYTES);
    assert.equal(plan.tasks.length, 3);
    const body = readFileSync(join(dir, 'in', 'big.jsonl'));
    for (const t of plan.tasks) {
      const { start, firstLine } = t.byteRange!;
      assert.equal(firstLine, 1 + body.subarray(0, start).filter((b) => b === 10).length, `the line number at byte ${start}`);
    }
    assert.equal(planOf(join(dir, 'whole')).tasks.length, 1);
    // The file is bigger than a write run, so several write tasks share its rows, in either plan.
    for (const out of ['auto', 'whole']) assert.ok(stepsOf(planOf(join(dir, out))).find((s) => s.kind === 'write')!.tasks >= 2, out);

    const shards = (out: string) => listFiles(join(dir, out, 'data')).map((f) => relative(join(dir, out), f));
    assert.ok(shards('whole').length >= 2, `several shards (${shards('whole').length})`);
    assert.deepEqual(shards('auto'), shards('whole'));
    for (const s of shards('whole')) assert.equal(sha256Of(join(dir, 'auto', s)), sha256Of(join(dir, 'whole', s)), s);

    // The cut follows the input alone: another worker count finds the same tasks done.
    r = run('auto', ['--workers', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr + r.stdout, /is up to date/);
  } finally {
    cleanup(dir);
  }
});

test('each step records the CPU seconds of the process and of its tasks; the tasks are part of the process', () => {
  const dir = tempDir();
  try {
    mkdirSync(join(dir, 'in'));
    for (let f = 0; f < 4; f++) writeFileSync(join(dir, 'in', `part-${f}.jsonl`), jsonl(400_000));
    const out = join(dir, 'out');
    const r = zyda(['dedup', '--input', join(dir, 'in'), '--source', 'web', '-o', out, '--workers', '2', '--task-bytes', '200KB']);
    assert.equal(r.code, 0, r.stderr);
    const t = readManifestJson(out).timings;
    for (const step of ['segment_0', 'segment_1', 'write']) {
      assert.ok(t[`${step}_task_cpu`] > 0, `${step}: task CPU ${t[`${step}_task_cpu`]}`);
      // Each task counts its own thread only: two threads charging each other would exceed the process.
      assert.ok(t[`${step}_task_cpu`] <= t[`${step}_cpu`] + 0.02, `${step}: tasks ${t[`${step}_task_cpu`]} s within the process's ${t[`${step}_cpu`]} s`);
    }
    // The workdir's CPU profile, which the bench's scaling model reads: every task of every step, each thread's start-up.
    const profile = JSON.parse(readFileSync(join(out, '.zyda', CPU_PROFILE_FILE), 'utf8')) as CpuProfile;
    const plan = planOf(out);
    assert.equal(profile.workers, 2);
    assert.deepEqual(profile.steps.map((s) => s.id), stepsOf(plan).map((s) => s.id));
    for (const [i, step] of stepsOf(plan).entries()) {
      const p = profile.steps[i];
      assert.equal(p.task_cpu_s.length, step.tasks, step.id);
      assert.equal(p.task_bytes?.length, step.tasks, step.id);
      // Sent largest first.
      assert.deepEqual(p.task_bytes, [...p.task_bytes!].sort((a, b) => b - a), step.id);
      assert.ok(p.task_cpu_s.every((s) => s >= 0), step.id);
      const sum = p.task_cpu_s.reduce((a, b) => a + b, 0);
      const key = step.kind === 'segment' ? `segment_${step.segment}` : step.id;
      assert.ok(Math.abs(sum - t[`${key}_task_cpu`]) < 0.01 * step.tasks, `${step.id}: tasks ${sum} s, manifest ${t[`${key}_task_cpu`]} s`);
    }
    // Two threads for the passes, then two fresh ones are not needed for a write this small.
    assert.equal(profile.steps[0].thread_start_cpu_s.length, 2);
    assert.ok(profile.steps[0].thread_start_cpu_s.every((s) => s > 0));
    assert.ok(profile.main_serial_s > 0);
    assert.ok(plan.tasks.length >= 8, `${plan.tasks.length} tasks`);
  } finally {
    cleanup(dir);
  }
});

/**
 * JSON lines for cutting anywhere: a byte order mark, an empty line, a malformed line, a line long enough to hold
 * whole ranges, and no newline at the end.
 */
function awkwardJsonl(): Buffer {
  let x = 3;
  const noise = Array.from({ length: 12_000 }, () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 4).toString(36)).join(' ');
  const half = jsonl(6_500_000);
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(half + '\n{"text": "broken\n' + JSON.stringify({ text: noise }) + '\n' + half + '{"text": "last line, no newline"}')]);
}

const shardsOf = (dir: string, out: string) => listFiles(join(dir, out, 'data')).map((f) => relative(join(dir, out), f));

/** The same input read whole and cut small have the same shards, byte for byte, and the same accounting. */
function assertSameOutput(dir: string, split: string, whole: string): void {
  assert.deepEqual(shardsOf(dir, split), shardsOf(dir, whole));
  for (const s of shardsOf(dir, whole)) assert.equal(sha256Of(join(dir, split, s)), sha256Of(join(dir, whole, s)), s);
  assert.deepEqual(readManifestJson(join(dir, split)).accounting, readManifestJson(join(dir, whole)).accounting);
}

for (const [label, env] of [['zstd CLI', {}], ['zstd-napi', { ZYDA_ZSTD: 'napi' }]] as const) {
  test(`a gzip file and a one-frame zstd file are cut into ranges of their text, with the output of a whole read (${label})`, () => {
    const dir = tempDir();
    try {
      mkdirSync(join(dir, 'in'));
      const text = awkwardJsonl();
      writeFileSync(join(dir, 'in', 'a.jsonl.gz'), gzipSync(text));
      writeFileSync(join(dir, 'in', 'b.jsonl.zst'), compress(text));
      const run = (out: string, taskBytes: string, more: string[] = []) => zyda(['tokens', '--input', join(dir, 'in'), '--source', 'web', '-o', join(dir, out), '--task-bytes', taskBytes, ...more], { env });
      let r = run('split', '1MB');
      assert.equal(r.code, 0, r.stderr);
      r = run('whole', '1GB');
      assert.equal(r.code, 0, r.stderr);

      const tasks = planOf(join(dir, 'split')).tasks;
      // Both headers state the decompressed size, so the cuts are equal shares of it: as many as leave each range
      // MIN_RANGE_TEXT, here fewer than 1 MB tasks would ask for.
      const k = Math.floor(text.length / MIN_RANGE_TEXT);
      assert.equal(k, 3);
      for (const name of ['a.jsonl.gz', 'b.jsonl.zst']) {
        const mine = tasks.filter((t) => t.file.endsWith(name));
        assert.deepEqual(mine.map((t) => t.textRange!.from), Array.from({ length: k }, (_, i): number => Math.floor((text.length * i) / k)), name);
        assert.equal(mine[k - 1].textRange!.to, undefined, 'the last range reads to the end');
      }
      // Whole, each file is read from its start to its end by one task.
      assert.ok(planOf(join(dir, 'whole')).tasks.every((t) => t.textRange === undefined));
      assertSameOutput(dir, 'split', 'whole');
      const m = readManifestJson(join(dir, 'split'));
      assert.equal(m.accounting.errored.malformed_json, 2);
      // Every line but the empty one and the malformed one, in each file.
      assert.equal(m.accounting.written, 2 * (text.toString('utf8').split('\n').length - 2));

      // Fewer tasks than 1 MB asks for, and the plan says so and what would give more.
      r = run('many', '1MB', ['--dry-run']);
      assert.equal(r.code, 0, r.stderr);
      const wanted = Math.ceil(text.length / 1_000_000);
      assert.ok(r.stdout.includes(`a.jsonl.gz: 3 tasks, not ${wanted} (a gzip file can only be read from its start, so each of its tasks decompresses it from there and reads at least 4.19 MB of its text, and at most 4 do; recompress it as multi-frame zstd, e.g. with \`pzstd\`, or split it into ${wanted} files of about 1.00 MB to use as many cores)`), r.stdout);
      assert.ok(r.stdout.includes(`b.jsonl.zst: 3 tasks, not ${wanted} (a zstd file can only be read from the start of a frame`), r.stdout);

      // A file with less text than two ranges' worth stays one task, and the plan says why.
      writeFileSync(join(dir, 'in', 'a.jsonl.gz'), gzipSync(jsonl(600_000)));
      r = run('small', '50KB', ['--dry-run']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /a\.jsonl\.gz: 1 task, not \d+ \(a gzip file can only be read from its start/);
    } finally {
      cleanup(dir);
    }
  });

  test(`a damaged gzip or zstd file cut into ranges counts its damage once, as a whole read does (${label})`, () => {
    const dir = tempDir();
    try {
      mkdirSync(join(dir, 'in'));
      const text = Buffer.from(jsonl(9_000_000));
      const z = compress(text);
      // Truncated in its first range, which the second passes over; a gzip member followed by junk.
      writeFileSync(join(dir, 'in', 't.jsonl.zst'), z.subarray(0, Math.floor(z.length * 0.3)));
      writeFileSync(join(dir, 'in', 'j.jsonl.gz'), Buffer.concat([gzipSync(text), Buffer.from('not a gzip member at all')]));
      const run = (out: string, taskBytes: string, policy: string) => zyda(['tokens', '--input', join(dir, 'in'), '--source', 'web', '-o', join(dir, out), '--task-bytes', taskBytes, '--on-file-error', policy], { env });
      let r = run('split', '1MB', 'skip');
      assert.equal(r.code, 0, r.stderr);
      const ranges = (name: string) => planOf(join(dir, 'split')).tasks.filter((t) => t.file.endsWith(name)).map((t) => t.textRange?.from);
      assert.deepEqual(ranges('t.jsonl.zst'), [0, text.length >> 1], 'the frame header states the whole size');
      // Junk in place of the gzip trailer makes its stated size junk too: cuts past the end read nothing.
      assert.ok(ranges('j.jsonl.gz').length >= 2);
      r = run('whole', '1GB', 'skip');
      assert.equal(r.code, 0, r.stderr);
      assertSameOutput(dir, 'split', 'whole');
      const a = readManifestJson(join(dir, 'split')).accounting;
      assert.equal(a.errored.truncated_file, 1);
      assert.equal(a.errored.corrupt_file, 1);
      // Every doc of the gzip file, and some of the zstd file: those before its cut.
      const docs = text.toString().split('\n').length - 1;
      assert.ok(a.written > docs && a.written < 2 * docs, `${a.written} written of ${2 * docs}`);

      r = run('fails', '1MB', 'fail');
      assert.equal(r.code, 1);
      assert.match(r.stderr, /t\.jsonl\.zst: truncated compressed stream.*stopped at line \d+ \[truncated_file; on_file_error: fail\]/);
    } finally {
      cleanup(dir);
    }
  });
}

/** A skippable frame (as pzstd writes before each frame): a reader passes over it. */
const skippable = (bytes: number) => Buffer.concat([Buffer.from([0x50, 0x2a, 0x4d, 0x18]), Buffer.from(new Uint32Array([bytes]).buffer), Buffer.alloc(bytes)]);

test('a zstd file of several frames is cut at frame starts, frames ending mid-line, with the ids of a whole read', () => {
  const dir = tempDir();
  try {
    mkdirSync(join(dir, 'in'));
    // A line long enough for whole frames of its own, between runs of ordinary ones.
    let x = 1;
    const noise = Array.from({ length: 30_000 }, () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 4).toString(36)).join(' ');
    const before = jsonl(400_000);
    const long = JSON.stringify({ text: noise }) + '\n';
    const text = Buffer.from(before + long + jsonl(400_000) + '{"text": "broken');
    // Frames cut anywhere, mostly mid-line; one of a few bytes, and two inside the long line: no line begins in them.
    const cuts = [0, 150_001, 150_020, 333_333, before.length + 10, before.length + 50_000, before.length + 100_000, 700_007, text.length];
    const frames = cuts.slice(1).map((end, i) => Buffer.concat([skippable(4), compress(text.subarray(cuts[i], end))]));
    writeFileSync(join(dir, 'in', 'multi.jsonl.zst'), Buffer.concat(frames));
    const run = (out: string, taskBytes: string) => zyda(['tokens', '--input', join(dir, 'in'), '--source', 'web', '-o', join(dir, out), '--task-bytes', taskBytes]);
    let r = run('split', '20KB');
    assert.equal(r.code, 0, r.stderr);
    r = run('whole', '1GB');
    assert.equal(r.code, 0, r.stderr);

    const tasks = planOf(join(dir, 'split')).tasks;
    assert.ok(tasks.length >= 4, `${tasks.length} tasks`);
    assert.equal(planOf(join(dir, 'whole')).tasks.length, 1);
    const frameStart = (i: number) => frames.slice(0, i).reduce((n, f) => n + f.length, 0);
    // The frames inside the long line are large enough to be cut at, but no task may start in that line.
    const inside = cuts.indexOf(before.length + 50_000);
    assert.ok(frameStart(inside) - frameStart(inside - 1) >= 20_000);
    assert.ok(!tasks.some((t) => t.byteRange!.start === frameStart(inside)), 'no task starts inside the long line');
    for (const t of tasks) {
      const { firstLine, skip } = t.byteRange!;
      const at = cuts[frames.findIndex((_, i) => frameStart(i) === t.byteRange!.start)] + skip!;
      assert.equal(firstLine, 1 + text.subarray(0, at).filter((b) => b === 10).length, `line number at decompressed byte ${at}`);
    }
    const shards = (out: string) => listFiles(join(dir, out, 'data')).map((f) => relative(join(dir, out), f));
    assert.deepEqual(shards('split'), shards('whole'));
    for (const s of shards('whole')) assert.equal(sha256Of(join(dir, 'split', s)), sha256Of(join(dir, 'whole', s)), s);
    const problems = (out: string) => readManifestJson(join(dir, out)).accounting;
    assert.deepEqual(problems('split'), problems('whole'));
    assert.equal(problems('split').errored.malformed_json, 1);
  } finally {
    cleanup(dir);
  }
});
