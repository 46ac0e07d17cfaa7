import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { compress } from 'zstd-napi';
import type { Manifest } from '../../runtime/manifest.js';
import { CLI, cleanup, duck, readManifestJson, tempDir, zyda, type CliResult } from '../helpers.js';

/**
 * End-to-end probes of the ways a run could lose or touch data that is not its own: overlapping paths, a
 * foreign output, two writers of one output, archives with trailing junk and deeply nested JSON. Each runs the
 * real CLI and checks two things: every input doc is accounted for, and no file outside zyda's own changed.
 */

/** sha256 of every file under dir (symbolic links by their target string), by relative path. */
function treeDigest(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else out.set(relative(dir, p), createHash('sha256').update(st.isSymbolicLink() ? `link:${p}` : readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

/** Every file that was there before is there after with the same bytes; new files appear only under `owned`. */
function assertUntouched(dir: string, before: Map<string, string>, owned: string[] = []): void {
  const after = treeDigest(dir);
  for (const [path, hash] of before) assert.equal(after.get(path), hash, `${path} was changed or removed`);
  for (const path of after.keys()) {
    if (before.has(path)) continue;
    assert.ok(
      owned.some((o) => path === o || path.startsWith(`${o}/`)),
      `${path} appeared outside zyda's own directories (${owned.join(', ') || 'none'})`,
    );
  }
}

function assertBalanced(m: Manifest): void {
  const sum = (c: Record<string, number> | undefined) => Object.values(c ?? {}).reduce((a, b) => a + b, 0);
  const a = m.accounting;
  assert.equal(a.read, a.written + sum(a.dropped) + sum(a.duplicates) + sum(a.errored), 'read = written + dropped + duplicates + errored');
}

const doc = (i: number) => JSON.stringify({ text: `probe document ${i}: ${'a few plain words '.repeat(1 + (i % 5))}end`, n: i });
const jsonl = (n: number, from = 0) => Array.from({ length: n }, (_, i) => doc(from + i)).join('\n') + '\n';

function writeConfig(path: string, body: Record<string, string | undefined>, inputs: string): void {
  const lines = Object.entries(body).flatMap(([k, v]) => (v === undefined ? [] : [`${k}: ${v}`]));
  writeFileSync(path, [...lines, 'workers: 2', 'sources:', `  - name: web`, `    paths: ${inputs}`, 'stages:', '  - tokens: {}', ''].join('\n'));
}

function mustRefuse(r: CliResult, ...named: string[]): void {
  assert.equal(r.code, 2, `exit 2 expected\n${r.stderr}`);
  for (const n of named) assert.ok(r.stderr.includes(n), `the message names ${n}:\n${r.stderr}`);
}

test('probe: overlapping paths are refused before any work, naming both paths, and nothing is written', () => {
  const dir = tempDir();
  try {
    const input = join(dir, 'in');
    mkdirSync(input);
    writeFileSync(join(input, 'a.jsonl'), jsonl(20));
    const out = join(dir, 'out');
    // [what overlaps, the config's paths, the two paths the refusal must name]
    const cases: Array<[string, Record<string, string>, string[]]> = [
      ['output inside an input', { output: join(input, 'out') }, [join(input, 'out'), input]],
      ['output equal to an input', { output: input }, [input]],
      ['output containing an input', { output: dir }, [dir, input]],
      ['workdir inside an input', { output: out, workdir: join(input, 'work') }, [join(input, 'work'), input]],
      ['keep_rejected inside the output', { output: out, keep_rejected: join(out, 'rejected') }, [join(out, 'rejected'), out]],
      ['keep_rejected equal to the output', { output: out, keep_rejected: out }, [out]],
      ['keep_rejected inside an input', { output: out, keep_rejected: join(input, 'rejected') }, [join(input, 'rejected'), input]],
    ];
    for (const [label, paths, named] of cases) {
      const cfg = join(dir, 'cfg.yaml');
      writeConfig(cfg, { name: 'probe', ...paths }, input);
      const before = treeDigest(dir);
      mustRefuse(zyda(['validate', cfg]), ...named);
      mustRefuse(zyda(['run', cfg]), ...named);
      assertUntouched(dir, before);
      assert.equal(treeDigest(dir).size, before.size, `${label}: nothing is created`);
    }
  } finally {
    cleanup(dir);
  }
});

test('probe: an output directory zyda did not make is refused before any work, even with --force', () => {
  const dir = tempDir();
  try {
    const input = join(dir, 'in');
    mkdirSync(input);
    writeFileSync(join(input, 'a.jsonl'), jsonl(20));
    const layouts: Record<string, Record<string, string>> = {
      'a user file': { 'notes.txt': 'my notes\n' },
      'an HF layout': { 'data/train-00000-of-00001.parquet': 'PAR1 not really PAR1', 'README.md': '# a dataset\n' },
      'a zyda layout without a manifest': { 'data/web/train-00000-of-00001.parquet': 'somebody else', '.tmp-1-abcdef-manifest.json': '{}' },
      'a manifest of another dataset': { 'manifest.json': JSON.stringify({ format_version: 1, name: 'someone-else', sources: {} }) },
    };
    for (const [label, files] of Object.entries(layouts)) {
      const out = join(dir, `out-${label.replaceAll(' ', '-')}`);
      for (const [rel, body] of Object.entries(files)) {
        mkdirSync(join(out, rel, '..'), { recursive: true });
        writeFileSync(join(out, rel), body);
      }
      const cfg = join(dir, 'cfg.yaml');
      writeConfig(cfg, { name: 'probe', output: out }, input);
      const before = treeDigest(dir);
      // A temp name like zyda's own may be left by a killed run of zyda; the rest is what the message names.
      const foreign = Object.keys(files).filter((f) => !f.startsWith('.tmp-')).sort()[0];
      mustRefuse(zyda(['run', cfg]), out, foreign === 'manifest.json' ? 'someone-else' : foreign);
      mustRefuse(zyda(['run', cfg, '--force']), out);
      assertUntouched(dir, before);
      assert.equal(treeDigest(dir).size, before.size, `${label}: nothing is created`);
    }
  } finally {
    cleanup(dir);
  }
});

test('probe: two runs into one output with different workdirs: the second exits 75 and the first output is whole', async () => {
  const dir = tempDir();
  try {
    const input = join(dir, 'in');
    mkdirSync(input);
    // Enough text that the first run is still going when the second starts.
    for (let f = 0; f < 8; f++) writeFileSync(join(input, `part-${f}.jsonl`), jsonl(25_000, f * 25_000));
    const out = join(dir, 'out');
    const a = join(dir, 'a.yaml');
    const b = join(dir, 'b.yaml');
    writeConfig(a, { name: 'probe', output: out, workdir: join(dir, 'work-a') }, input);
    writeConfig(b, { name: 'probe', output: out, workdir: join(dir, 'work-b') }, input);
    const before = treeDigest(dir);
    const first = spawn(process.execPath, [CLI, 'run', a], { stdio: 'ignore', env: { ...process.env, ZYDA_LOG_FORMAT: 'text' } });
    const firstExit = new Promise<number | null>((resolve) => first.on('exit', (code) => resolve(code)));
    const lock = join(out, '.zyda.lock');
    for (let i = 0; i < 400 && !existsSync(lock); i++) await sleep(25);
    assert.ok(existsSync(lock), 'the first run holds the output lock');
    const second = zyda(['run', b]);
    assert.equal(second.code, 75, second.stderr);
    assert.ok(second.stderr.includes(out), `the message names the output:\n${second.stderr}`);
    assert.equal(await firstExit, 0);

    const m = readManifestJson(out);
    assertBalanced(m);
    assert.equal(m.accounting.read, 200_000);
    assert.equal(m.accounting.written, 200_000);
    for (const s of m.sources.web.shards) {
      const bytes = readFileSync(join(out, s.path));
      assert.equal(createHash('sha256').update(bytes).digest('hex'), s.sha256, `${s.path} is the shard the manifest names`);
    }
    const [{ n }] = await duck<{ n: bigint }>(`SELECT count(*) AS n FROM read_parquet('${join(out, 'data', '**', '*.parquet')}')`);
    assert.equal(Number(n), 200_000);
    assertUntouched(dir, before, ['out', 'work-a', 'work-b']);
  } finally {
    cleanup(dir);
  }
});

test('probe: gzip and zstd inputs with trailing junk keep every document before the junk and count the junk', () => {
  const dir = tempDir();
  try {
    const input = join(dir, 'in');
    mkdirSync(input);
    const junk = Buffer.from('this is not compressed data at all '.repeat(40));
    writeFileSync(join(input, 'a.jsonl.gz'), Buffer.concat([gzipSync(jsonl(20_000)), junk]));
    writeFileSync(join(input, 'b.jsonl.zst'), Buffer.concat([compress(Buffer.from(jsonl(20_000, 20_000))), junk]));
    const out = join(dir, 'out');
    const cfg = join(dir, 'cfg.yaml');
    writeConfig(cfg, { name: 'probe', output: out, on_file_error: 'skip' }, input);
    const before = treeDigest(dir);
    const r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /a\.jsonl\.gz/);
    assert.match(r.stderr, /b\.jsonl\.zst/);
    const m = readManifestJson(out);
    assertBalanced(m);
    assert.equal(m.accounting.written, 40_000, 'every document before the junk is kept');
    assert.equal(Object.values(m.accounting.errored).reduce((x, y) => x + y, 0), 2, 'the junk of each file is one problem');
    assertUntouched(dir, before, ['out']);
  } finally {
    cleanup(dir);
  }
});

test('probe: a record nested 20,000 deep is one errored doc under on_error, not a crash', () => {
  const dir = tempDir();
  try {
    const input = join(dir, 'in');
    mkdirSync(input);
    const deep = `{"text":"x","m":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    writeFileSync(join(input, 'a.jsonl'), jsonl(3) + deep + '\n' + jsonl(3, 3));
    const out = join(dir, 'out');
    const cfg = join(dir, 'cfg.yaml');
    writeConfig(cfg, { name: 'probe', output: out }, input);
    const before = treeDigest(dir);
    const r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /a\.jsonl: line 4/);
    const m = readManifestJson(out);
    assertBalanced(m);
    assert.equal(m.accounting.read, 7);
    assert.equal(m.accounting.written, 6);
    assertUntouched(dir, before, ['out']);

    writeConfig(cfg, { name: 'probe', output: out, on_error: 'fail', workdir: join(dir, 'work-fail') }, input);
    const failed = zyda(['run', cfg, '--force']);
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /a\.jsonl: line 4/);
  } finally {
    cleanup(dir);
  }
});
