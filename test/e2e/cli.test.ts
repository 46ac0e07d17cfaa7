import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { cleanup, duck, readManifestJson, ROOT, shardGlob, tempDir, zyda } from '../helpers.js';

const SAMPLE = join(ROOT, 'configs', 'sample.yaml');
const sampleReady = existsSync(join(ROOT, 'sample', '.complete'));

test('validate and --dry-run describe the sample pipeline without running it', { skip: !sampleReady && 'sample/ not generated (npm install makes it)' }, () => {
  let r = zyda(['validate', SAMPLE]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /ok — 3 sources, \d+ tasks/);
  const dir = tempDir();
  try {
    r = zyda(['run', SAMPLE, '--dry-run', '-o', join(dir, 'out')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /web \(rank 1, text_field text\): 2 files/);
    assert.match(r.stdout, /books \(rank 0, text_field content, id_field id\): 1 files/);
    assert.match(r.stdout, /part-00001\.jsonl\.zst/);
    assert.match(r.stdout, /1\. transform/);
    assert.match(r.stdout, /3\. langid[\s\S]*4\. dedup[\s\S]*5\. tokens/);
    assert.equal(existsSync(join(dir, 'out')), false, 'a dry run writes nothing');
    // It shows the worker count a run would use: a request over 4 × the cores is clamped, with the warning.
    r = zyda(['run', SAMPLE, '--dry-run', '-o', join(dir, 'out'), '--workers', '1000']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`workers  ${4 * availableParallelism()}\n`));
    assert.match(r.stdout, /warning: workers: 1000 is more than 4 × the \d+ cores here/);
  } finally {
    cleanup(dir);
  }
});

test('--help lists every exit code, and the README shows the steps as zyda steps prints them', { skip: !sampleReady && 'sample/ not generated (npm install makes it)' }, () => {
  const help = zyda(['--help']);
  assert.equal(help.code, 0);
  const codes = [...help.stdout.slice(help.stdout.indexOf('Exit codes:')).matchAll(/^\s+(\d+)\s/gm)].map((m) => Number(m[1]));
  assert.deepEqual(codes, [0, 1, 2, 75, 130]);
  assert.match(help.stdout, /130 +stopped by SIGINT \(Ctrl-C\), 143 by SIGTERM/);

  const steps = zyda(['steps', SAMPLE]);
  assert.equal(steps.code, 0, steps.stderr);
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const shown = /`zyda steps` prints:\n\n```\n([^`]*)```/.exec(readme)![1];
  assert.equal(shown.replace(/ +#.*$/gm, ''), steps.stdout);
  assert.match(readme, /`npm link`/);
  assert.match(readme, /`npm install -g \.`/);
});

test('config errors name the file, line and key, and exit 2', () => {
  const dir = tempDir();
  try {
    const cfg = join(dir, 'bad.yaml');
    writeFileSync(cfg, 'name: x\noutput: out\nsources:\n  - name: web\n    paths: a.jsonl\n    txt_field: body\n    rank: high\nwrite:\n  shard_max_bytes: lots\n');
    let r = zyda(['validate', cfg]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.yaml:6: sources\[0\]\.txt_field: unknown key \(did you mean "text_field"\?\)/);
    assert.match(r.stderr, /bad\.yaml:7: sources\[0\]\.rank: .*expected number/);
    assert.match(r.stderr, /bad\.yaml:9: write\.shard_max_bytes: expected a byte size/);
    writeFileSync(cfg, 'output: out\nsources:\n  - name: web\n    paths: a.jsonl\nstages:\n  - tokens: {}\n  - sample: {fraction: 2}\n  - dedupe: {}\n');
    r = zyda(['validate', cfg]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.yaml:7: stages\[1\]\.sample\.fraction: Too big/);
    writeFileSync(cfg, 'output: out\nsources:\n  - name: web\n    paths: a.jsonl\nstages:\n  - dedupe: {}\n');
    r = zyda(['validate', cfg]);
    assert.match(r.stderr, /bad\.yaml:6: stages\[0\]\.dedupe: unknown stage kind "dedupe" \(did you mean "dedup"\?\); expected one of .*tokens.*limit/);
    writeFileSync(cfg, 'output: out\nsources: [\n');
    r = zyda(['validate', cfg]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.yaml:\d+:\d+: invalid YAML/);
    r = zyda(['tokens', '--input', 'x.jsonl', '-o', join(dir, 'o'), '--tokenizer', 'gpt5']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /tokenizer "gpt5": expected one of gpt2, r50k_base, cl100k_base, o200k_base, a path to a tokenizer.json/);
    r = zyda(['tokens', '--bogus']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option '--bogus'/);
  } finally {
    cleanup(dir);
  }
});

test('stdin, stats and head: a Unix pipeline end to end', () => {
  const dir = tempDir();
  try {
    const input = Array.from({ length: 30 }, (_, i) => JSON.stringify({ text: `piped document ${i} ` + 'word '.repeat(i), lang: 'en' })).join('\n');
    const out = join(dir, 'out');
    let r = zyda(['tokens', '--input', '-', '--source', 'pipe', '-o', out], { input });
    assert.equal(r.code, 0, r.stderr);
    r = zyda(['stats', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /pipe\s+0\s+30\s/);
    r = zyda(['head', out, '-n', '3', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; metadata: { lang: string }; token_count: number });
    assert.deepEqual(rows.map((x) => x.id), ['pipe/stdin.jsonl#1', 'pipe/stdin.jsonl#2', 'pipe/stdin.jsonl#3']);
    assert.equal(rows[0].metadata.lang, 'en');
    r = zyda(['head', out, '-n', '1']);
    assert.match(r.stdout, /── pipe\/stdin\.jsonl#1 {2}\(pipe, \d+ tokens/);
    r = zyda(['stats', join(dir, 'nowhere')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no manifest\.json/);
  } finally {
    cleanup(dir);
  }
});

test('an output is a source: stages chain, keeping source names, ranks, ids and metadata', async () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'a.jsonl'), Array.from({ length: 200 }, (_, i) => JSON.stringify({ text: `alpha ${i}`, n: i })).join('\n'));
    writeFileSync(join(dir, 'b.jsonl'), Array.from({ length: 100 }, (_, i) => JSON.stringify({ text: `beta ${i}`, n: i })).join('\n'));
    writeFileSync(join(dir, 'p.yaml'), 'output: first\nsources:\n  - {name: a, paths: a.jsonl, rank: 3}\n  - {name: b, paths: b.jsonl, rank: 1}\nstages:\n  - sample: {fraction: 0.5, seed: 7}\n');
    let r = zyda(['run', join(dir, 'p.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    const first = readManifestJson(join(dir, 'first'));
    assert.ok(first.accounting.dropped['sample/not_sampled'] > 100 && first.accounting.dropped['sample/not_sampled'] < 200);
    r = zyda(['limit', '--input', join(dir, 'first'), '--max-docs-per-source', '20', '-o', join(dir, 'second'), '--tokenizer', 'cl100k_base']);
    assert.equal(r.code, 0, r.stderr);
    const second = readManifestJson(join(dir, 'second'));
    assert.deepEqual(Object.keys(second.sources), ['a', 'b']);
    assert.equal(second.sources.a.rank, 3);
    assert.equal(second.sources.b.docs, 20);
    assert.equal(second.accounting.dropped['limit/max_docs'], first.totals.docs - 40);
    assert.equal(second.tokenizer, 'cl100k_base');
    const firstRows = await duck<{ id: string; text: string; metadata: string }>(`SELECT id, text, metadata FROM read_parquet('${shardGlob(join(dir, 'first'))}') WHERE source = 'a' ORDER BY id LIMIT 20`);
    const secondRows = await duck<{ id: string; text: string; metadata: string }>(`SELECT id, text, metadata FROM read_parquet('${shardGlob(join(dir, 'second'))}') WHERE source = 'a' ORDER BY id`);
    const byId = new Map(firstRows.map((x) => [x.id, x]));
    for (const row of secondRows) {
      if (!byId.has(row.id)) continue;
      assert.equal(row.text, byId.get(row.id)!.text);
      assert.deepEqual(JSON.parse(row.metadata), JSON.parse(byId.get(row.id)!.metadata));
    }
    assert.ok(secondRows.every((x) => /^a\/a\.jsonl#\d+$/.test(x.id)), 'ids carry through from the first run');
  } finally {
    cleanup(dir);
  }
});

test('limit keeps the first docs in plan order, whatever the workers', () => {
  const dir = tempDir();
  try {
    for (const f of ['1', '2', '3']) writeFileSync(join(dir, `f${f}.jsonl`), Array.from({ length: 50 }, (_, i) => JSON.stringify({ text: `file ${f} line ${i}` })).join('\n'));
    const outs = ['1', '3'].map((w) => {
      const out = join(dir, `w${w}`);
      const r = zyda(['limit', '--input', join(dir, '*.jsonl'), '--max-docs', '70', '-o', out, '--workers', w]);
      assert.equal(r.code, 0, r.stderr);
      return out;
    });
    const m = readManifestJson(outs[0]);
    assert.equal(m.totals.docs, 70);
    assert.equal(m.accounting.dropped['limit/max_docs'], 80);
    for (const o of outs) {
      const shard = join(o, m.sources.input.shards[0].path);
      assert.equal(createHash('sha256').update(readFileSync(shard)).digest('hex'), m.sources.input.shards[0].sha256);
    }
    assert.ok(readFileSync(join(outs[0], m.sources.input.shards[0].path)).equals(readFileSync(join(outs[1], m.sources.input.shards[0].path))));
  } finally {
    cleanup(dir);
  }
});

test('shards roll at shard_max_bytes, match the manifest, and a rerun replaces them in a generation of its own', async () => {
  const dir = tempDir();
  try {
    let seed = 1;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const word = () => Array.from({ length: 3 + Math.floor(rand() * 6) }, () => String.fromCharCode(97 + Math.floor(rand() * 26))).join('');
    writeFileSync(join(dir, 'a.jsonl'), Array.from({ length: 3000 }, (_, i) => JSON.stringify({ text: `${i} ` + Array.from({ length: 60 }, word).join(' ') })).join('\n'));
    const out = join(dir, 'out');
    let r = zyda(['tokens', '--input', join(dir, 'a.jsonl'), '-o', out, '--shard-max-bytes', '150kB', '--row-group-rows', '200']);
    assert.equal(r.code, 0, r.stderr);
    const m = readManifestJson(out);
    const shards = m.sources.input.shards;
    assert.ok(shards.length >= 5, `${shards.length} shards`);
    shards.forEach((s, i) => {
      assert.equal(s.path, `data/input/g00001/train-${String(i).padStart(5, '0')}-of-${String(shards.length).padStart(5, '0')}.parquet`);
      const bytes = readFileSync(join(out, s.path));
      assert.equal(bytes.length, s.bytes);
      assert.ok(s.bytes <= 150_000, `shard ${i} is ${s.bytes} bytes`);
      assert.equal(createHash('sha256').update(bytes).digest('hex'), s.sha256);
    });
    const perShard = await duck<{ f: string; n: bigint; t: bigint }>(`SELECT filename AS f, count(*) AS n, sum(token_count) AS t FROM read_parquet('${shardGlob(out)}', filename = true) GROUP BY f ORDER BY f`);
    assert.deepEqual(perShard.map((x) => [Number(x.n), Number(x.t)]), shards.map((s) => [s.rows, s.tokens]));

    r = zyda(['tokens', '--input', join(dir, 'a.jsonl'), '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(join(out, 'data', 'input', 'g00002')), ['train-00000-of-00001.parquet'], 'nothing temporary is left');
    assert.equal(readdirSync(join(out, 'data', 'input', 'g00001')).length, shards.length, 'the earlier shards stay for readers of the earlier manifest');
    r = zyda(['tokens', '--input', join(dir, 'a.jsonl'), '-o', out, '--shard-max-bytes', '150kB']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(join(out, 'data', 'input')), ['g00002', 'g00003'], 'the next run removes them');
    assert.ok(statSync(join(out, 'manifest.json')).isFile());
  } finally {
    cleanup(dir);
  }
});

test('the bin runs as npx runs it: executable, through its shebang, from the package directory', () => {
  const bin = join(ROOT, 'dist', 'cli', 'main.js');
  assert.ok((statSync(bin).mode & 0o111) !== 0, 'dist/cli/main.js is not executable: npx zyda would fail with "Permission denied"');
  const r = spawnSync(bin, ['--version'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\d+\.\d+\.\d+/);
});
