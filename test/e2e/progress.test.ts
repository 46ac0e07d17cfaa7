import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { cleanup, duck, readManifestJson, tempDir, zyda } from '../helpers.js';

/** One plain JSON lines file of several MB: a single task, read in several batches. */
function bigInput(dir: string): string {
  const path = join(dir, 'big.jsonl');
  const words = ['river', 'stone', 'lantern', 'harbour', 'meadow', 'copper', 'willow', 'summit', 'orchard', 'signal'];
  const lines: string[] = [];
  for (let i = 0; i < 6000; i++) {
    const text = Array.from({ length: 150 }, (_, j) => words[(i * 7 + j * 3 + ((i * j) % 11)) % words.length]).join(' ');
    lines.push(JSON.stringify({ text: `Document ${i}. ${text}.` }));
  }
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

function bigConfig(dir: string, extra = ''): { cfg: string; out: string; input: string } {
  const input = bigInput(dir);
  const out = join(dir, 'out');
  const cfg = join(dir, 'big.yaml');
  writeFileSync(cfg, `output: ${out}\nworkers: 1\nbatch_bytes: 64KB\nsources:\n  - {name: big, paths: ${input}}\nstages: []\n${extra}`);
  return { cfg, out, input };
}

/** Each batch read waits this long in the worker, so the run is watched while its one task is still reading. */
const SLOW = { ZYDA_SLOW_AT: 'batch-read:300' };

const UNITS: Record<string, number> = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 };
const bytesOf = (s: string) => {
  const [n, unit] = s.trim().split(' ');
  return Number(n) * UNITS[unit];
};

test('progress lines on a non-terminal stderr move inside one large file, and end on the summary counts', () => {
  const dir = tempDir();
  try {
    const { cfg, out, input } = bigConfig(dir);
    const r = zyda(['run', cfg, '--progress', 'on', '--progress-interval', '0.1'], { env: SLOW });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('processing: '));
    const parsed = lines.map((l) => {
      const m = /^processing: (\d+)\/(\d+) tasks \| (.+?) \/ (.+?) \| ([\d,]+) docs \| [\d,]+ docs\/s \| [\d.]+ MB\/s \| ETA \S+$/.exec(l);
      assert.ok(m, l);
      return { done: Number(m[1]), bytes: bytesOf(m[3]), total: bytesOf(m[4]), docs: Number(m[5].replaceAll(',', '')) };
    });
    // While the only task was still reading: byte positions inside the file, growing.
    const inside = parsed.filter((p) => p.done === 0 && p.bytes > 0 && p.bytes < p.total).map((p) => p.bytes);
    assert.ok(new Set(inside).size >= 2, `two or more positions inside the file before its task ended:\n${lines.join('\n')}`);
    assert.deepEqual(inside, [...inside].sort((a, b) => a - b));
    const m = readManifestJson(out);
    const last = parsed[parsed.length - 1];
    assert.deepEqual(last, { done: 1, bytes: last.total, total: last.total, docs: m.accounting.read });
    assert.equal(last.total, bytesOf(`${(statSync(input).size / 1e6).toFixed(2)} MB`));
    const written = r.stderr.split('\n').filter((l) => l.startsWith('writing parquet: ')).pop()!;
    assert.match(written, new RegExp(`\\| ${m.totals.docs.toLocaleString('en-US')} docs \\|`));
  } finally {
    cleanup(dir);
  }
});

test('JSON logs carry a progress record every progress_interval, with bytes growing inside one file', () => {
  const dir = tempDir();
  try {
    const { cfg, input } = bigConfig(dir, 'progress_interval: 0.2\n');
    const r = zyda(['run', cfg, '--log-format', 'json'], { env: SLOW });
    assert.equal(r.code, 0, r.stderr);
    const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const seg0 = records.filter((x) => x.event === 'progress' && x.step === 'seg0');
    const fields = ['ts', 'level', 'event', 'step', 'tasks_done', 'tasks', 'docs', 'bytes', 'total_bytes', 'seconds', 'docs_per_s', 'mb_per_s', 'eta_s'];
    for (const x of seg0) assert.deepEqual(Object.keys(x), fields);
    const size = statSync(input).size;
    const inside = seg0.filter((x) => x.tasks_done === 0 && (x.bytes as number) > 0 && (x.bytes as number) < size).map((x) => x.bytes as number);
    assert.ok(new Set(inside).size >= 2, JSON.stringify(seg0));
    assert.deepEqual(inside, [...inside].sort((a, b) => a - b));
    const summary = records.find((x) => x.event === 'summary') as { accounting: { read: number } };
    const last = seg0[seg0.length - 1];
    assert.equal(last.docs, summary.accounting.read);
    assert.equal(last.bytes, size);
    assert.equal(last.total_bytes, size);
    // The step's end record and its last progress record are about the same work.
    assert.ok(records.indexOf(last) < records.findIndex((x) => x.event === 'step_end' && x.step === 'seg0'));
  } finally {
    cleanup(dir);
  }
});

test('progress: off prints no progress records', () => {
  const dir = tempDir();
  try {
    const { cfg } = bigConfig(dir, 'progress: off\n');
    const r = zyda(['run', cfg, '--log-format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes('"event":"progress"'));
    assert.ok(r.stdout.includes('"event":"summary"'));
  } finally {
    cleanup(dir);
  }
});

/** Docs of random letters: they compress little, so a compressed file is still several read chunks long. */
function randomDocs(n: number): string[] {
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const word = () => Array.from({ length: 3 + (next() % 8) }, () => String.fromCharCode(97 + (next() % 26))).join('');
  return Array.from({ length: n }, (_, i) => `Document ${i}. ${Array.from({ length: 400 }, word).join(' ')}.`);
}

/** The same docs as one file of each kind a reader cannot take byte ranges of; each several MB on disk. */
const WRITERS: Record<string, (path: string, texts: string[]) => Promise<void>> = {
  'jsonl.gz': async (path, texts) => writeFileSync(path, gzipSync(jsonLines(texts))),
  'jsonl.zst': async (path, texts) => {
    const r = spawnSync('zstd', ['-q', '-3', '-o', path], { input: jsonLines(texts) });
    assert.equal(r.status, 0, String(r.stderr));
  },
  parquet: async (path, texts) => {
    const json = `${path}.jsonl`;
    writeFileSync(json, jsonLines(texts));
    await duck(`COPY (SELECT text FROM read_json('${json}', format = 'newline_delimited')) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 250)`);
    rmSync(json);
  },
  arrow: async (path, texts) => {
    const { tableFromArrays, RecordBatchStreamWriter } = await import('apache-arrow');
    const slices = Array.from({ length: Math.ceil(texts.length / 250) }, (_, i) => tableFromArrays({ text: texts.slice(i * 250, (i + 1) * 250) }));
    writeFileSync(path, RecordBatchStreamWriter.writeAll(slices[0].concat(...slices.slice(1))).toUint8Array(true));
  },
};
const jsonLines = (texts: string[]) => texts.map((text) => JSON.stringify({ text })).join('\n') + '\n';

for (const [format, zstd] of [['jsonl.gz'], ['jsonl.zst', 'cli'], ['jsonl.zst', 'napi'], ['parquet'], ['arrow']] as const) {
  test(`progress moves inside one ${format} file${zstd ? ` (zstd ${zstd})` : ''}, and ends at its size`, async () => {
    const dir = tempDir();
    try {
      const input = join(dir, `big.${format}`);
      await WRITERS[format](input, randomDocs(3000));
      const size = statSync(input).size;
      assert.ok(size > 3e6, `${size} bytes on disk: more than the readers' 1 MB reads`);
      const out = join(dir, 'out');
      const cfg = join(dir, 'big.yaml');
      // One task, whatever the automatic task size: what is watched is the progress inside it.
      writeFileSync(cfg, `output: ${out}\nworkers: 1\ntask_bytes: 1GB\nbatch_bytes: 128KB\nprogress_interval: 0.05\nsources:\n  - {name: big, paths: ${input}}\nstages: []\n`);
      const r = zyda(['run', cfg, '--log-format', 'json'], { env: { ZYDA_SLOW_AT: 'batch-read:150', ...(zstd ? { ZYDA_ZSTD: zstd } : {}) } });
      assert.equal(r.code, 0, r.stderr);
      const seg0 = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, number | string>)
        .filter((x) => x.event === 'progress' && x.step === 'seg0');
      const inside = seg0.filter((x) => x.tasks_done === 0 && (x.bytes as number) > 0 && (x.bytes as number) < size).map((x) => x.bytes as number);
      assert.ok(new Set(inside).size >= 3, `three or more positions inside the file before its task ended: ${JSON.stringify(seg0)}`);
      assert.deepEqual(inside, [...inside].sort((a, b) => a - b));
      const last = seg0[seg0.length - 1];
      assert.deepEqual([last.bytes, last.total_bytes, last.docs], [size, size, 3000]);
    } finally {
      cleanup(dir);
    }
  });
}
