import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, inflateRawSync } from 'node:zlib';
import { compress } from 'zstd-napi';
import { CLI, cannotDropPrivileges, taskFileName, cleanup, readManifestJson, tempDir, zyda, zydaAsNobody, type CliResult } from '../helpers.js';
import type { Manifest } from '../../runtime/manifest.js';

const sum = (c: Record<string, number> = {}) => Object.values(c).reduce((a, b) => a + b, 0);
const lines = (from: number, n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ text: `document ${from + i} ${'lorem ipsum '.repeat(20)}`, n: from + i })).join('\n') + '\n';

/** Runs zyda on one input directory with the given top-level config lines; returns the CLI result and the manifest, if any. */
function runOn(dir: string, input: string, extra: string[] = [], env: Record<string, string> = {}, sourceKeys: string[] = []): { r: CliResult; m?: Manifest; out: string } {
  const out = join(dir, 'out');
  const cfg = join(dir, 'pipeline.yaml');
  writeFileSync(cfg, [`output: ${out}`, 'workers: 1', ...extra, 'sources:', '  - name: s', `    paths: [${input}]`, ...sourceKeys.map((k) => `    ${k}`)].join('\n') + '\n');
  const r = zyda(['run', cfg, '--force'], { env });
  let m: Manifest | undefined;
  try {
    m = readManifestJson(out);
  } catch {
    m = undefined;
  }
  return { r, m, out };
}

function assertBalanced(m: Manifest): void {
  const a = m.accounting;
  assert.equal(a.read, a.written + sum(a.dropped) + sum(a.duplicates) + sum(a.errored), JSON.stringify(a));
}

test('a record nested 20,000 levels deep is one too_deep error under on_error, not a crash', () => {
  const dir = tempDir();
  try {
    const input = join(dir, 'in');
    mkdirSync(input);
    const deep = `{"text":"x","m":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    writeFileSync(join(input, 'deep.jsonl'), [lines(0, 3), deep, '\n', lines(3, 3)].join(''));
    writeFileSync(join(input, 'deep.jsonl.gz'), gzipSync([lines(10, 2), deep, '\n'].join('')));
    const { r, m } = runOn(dir, input);
    assert.equal(r.code, 0, r.stderr);
    assertBalanced(m!);
    assert.equal(m!.accounting.read, 10);
    assert.equal(m!.accounting.written, 8);
    assert.equal(m!.accounting.errored.too_deep, 2);
    assert.match(r.stderr, /deep\.jsonl: line 4: .*nested more than/);
    assert.match(r.stderr, /deep\.jsonl\.gz: line 3: .*nested more than/);

    // metadata_fields copies the picked fields, and that copy recursed too.
    const picked = runOn(dir, input, [], {}, ['metadata_fields: [m, n]']);
    assert.equal(picked.r.code, 0, picked.r.stderr);
    assert.equal(picked.m!.accounting.errored.too_deep, 2);

    const failed = runOn(dir, input, ['on_error: fail']);
    assert.equal(failed.r.code, 1);
    assert.match(failed.r.stderr, /line \d: .*too_deep; on_error: fail/);
    assert.doesNotMatch(failed.r.stderr, /Maximum call stack/);
  } finally {
    cleanup(dir);
  }
});

test('a UTF-8 byte order mark before the first line is not part of the first document (plain, gz, zst)', () => {
  const dir = tempDir();
  try {
    const input = join(dir, 'in');
    mkdirSync(input);
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines(0, 5))]);
    writeFileSync(join(input, 'bom.jsonl'), body);
    writeFileSync(join(input, 'bom.jsonl.gz'), gzipSync(body));
    writeFileSync(join(input, 'bom.jsonl.zst'), compress(body));
    const { r, m } = runOn(dir, input, ['on_error: fail']);
    assert.equal(r.code, 0, r.stderr);
    assertBalanced(m!);
    assert.equal(m!.accounting.written, 15);
    assert.deepEqual(m!.accounting.errored, {});
  } finally {
    cleanup(dir);
  }
});

test('junk after a complete gzip or zstd stream: every document before it is kept, the junk is one corrupt_file', () => {
  const dir = tempDir();
  try {
    const input = join(dir, 'in');
    mkdirSync(input);
    const junk = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 131 + 17) % 251 || 1));
    writeFileSync(join(input, 'a.jsonl.gz'), Buffer.concat([gzipSync(lines(0, 20_000)), junk]));
    writeFileSync(join(input, 'b.jsonl.zst'), Buffer.concat([compress(Buffer.from(lines(20_000, 5_000))), junk]));
    // Two gzip members (cat a.gz b.gz) and zero padding: one file to gzip, and no error.
    writeFileSync(join(input, 'c.jsonl.gz'), Buffer.concat([gzipSync(lines(30_000, 3_000)), gzipSync(lines(33_000, 3_000)), Buffer.alloc(512)]));
    for (const env of [{}, { ZYDA_ZSTD: 'napi' }] as Record<string, string>[]) {
      const { r, m } = runOn(dir, input, ['on_file_error: skip'], env);
      assert.equal(r.code, 0, `${JSON.stringify(env)} ${r.stderr}`);
      assertBalanced(m!);
      assert.equal(m!.accounting.written, 31_000);
      assert.deepEqual(m!.accounting.errored, { corrupt_file: 2 });
      assert.match(r.stderr, /a\.jsonl\.gz: corrupt compressed stream \(trailing garbage: 5000 bytes after gzip member 1.*stopped at line 20001/);
      assert.match(r.stderr, /b\.jsonl\.zst: .*stopped at line 5001/);
    }
    const failed = runOn(dir, input, ['on_file_error: fail']);
    assert.equal(failed.r.code, 1);
    assert.match(failed.r.stderr, /\.jsonl\.(gz|zst): .*corrupt_file; on_file_error: fail/);
  } finally {
    cleanup(dir);
  }
});

/** `gz` with 16 bytes of its deflate data from about `from` on overwritten, where raw inflate fails on them. */
function damaged(gz: Buffer, from: number): Buffer {
  for (let at = from; at < gz.length - 100; at += 97) {
    const bad = Buffer.from(gz);
    bad.fill(0xff, at, at + 16);
    try {
      inflateRawSync(bad.subarray(10));
    } catch (err) {
      // A data error, not a CRC or length mismatch (which the raw inflater cannot see) nor a cut-off.
      if ((err as NodeJS.ErrnoException).code === 'Z_DATA_ERROR') return bad;
    }
  }
  throw new Error('no offset makes inflate fail');
}

/** The complete lines Python's zlib decodes from a gzip file, fed one byte at a time, member after member. */
function pythonCompleteLines(file: string): number {
  const py = `import sys, zlib
data = open(sys.argv[1], 'rb').read()
out = bytearray()
d = zlib.decompressobj(31)
try:
    for i in range(len(data)):
        out += d.decompress(data[i:i + 1])
        if d.eof:
            d = zlib.decompressobj(31)
except zlib.error:
    pass
print(out.count(b'\\n'))`;
  const r = spawnSync('python3', ['-c', py, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout.trim());
}

test('damage inside a gzip member: every line decodable before it is kept, the rest is one corrupt_file', () => {
  const dir = tempDir();
  try {
    const one = gzipSync(lines(0, 20_000));
    const cases = {
      'one.jsonl.gz': damaged(one, one.length >> 1),
      // Damage in member 2 of 3: member 1 whole, member 2 up to the damage, nothing of member 3.
      'three.jsonl.gz': Buffer.concat([gzipSync(lines(0, 3_000)), damaged(one, one.length >> 1), gzipSync(lines(3_000, 3_000))]),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      const input = join(dir, name.replace('.jsonl.gz', ''));
      mkdirSync(input);
      writeFileSync(join(input, name), bytes);
      const expected = pythonCompleteLines(join(input, name));
      const { r, m } = runOn(dir, input, ['on_file_error: skip']);
      assert.equal(r.code, 0, r.stderr);
      assertBalanced(m!);
      assert.equal(m!.accounting.written, expected, `${name}: ${r.stderr}`);
      assert.deepEqual(m!.accounting.errored, { corrupt_file: 1 });
      assert.match(r.stderr, new RegExp(`${name.replace(/\./g, '\\.')}: corrupt compressed stream \\(.*stopped at line ${expected + 1}`));
    }
  } finally {
    cleanup(dir);
  }
});

/** One small input file of every format, with two documents each. */
function everyFormat(input: string): void {
  const body = lines(0, 2);
  writeFileSync(join(input, 'a.jsonl'), body);
  writeFileSync(join(input, 'b.jsonl.gz'), gzipSync(body));
  writeFileSync(join(input, 'c.jsonl.zst'), compress(Buffer.from(body)));
  const py = `import pyarrow as pa, pyarrow.parquet as pq, pyarrow.ipc as ipc
t = pa.table({'text': ['one', 'two']})
pq.write_table(t, '${join(input, 'd.parquet')}')
with ipc.new_file('${join(input, 'e.arrow')}', t.schema) as w: w.write(t)`;
  const r = spawnSync('python3', ['-c', py], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

test('an input that vanishes between the plan and its task is an unreadable_file under on_file_error, for every format', () => {
  const dir = tempDir();
  try {
    const input = join(dir, 'in');
    mkdirSync(input);
    everyFormat(input);
    const out = join(dir, 'out');
    const cfg = join(dir, 'pipeline.yaml');
    // A source per file: small files of one source share a task, and here task i must read file i alone.
    const sources = readdirSync(input).sort().flatMap((f, i) => [`  - name: s${i}`, `    paths: [${join(input, f)}]`]);
    const write = (policy: string) => writeFileSync(cfg, [`output: ${out}`, `on_file_error: ${policy}`, 'sources:', ...sources].join('\n') + '\n');

    write('fail');
    assert.equal(zyda(['steps', cfg]).code, 0);
    const files = readdirSync(input).sort();
    for (const f of files) rmSync(join(input, f));
    for (let task = 0; task < files.length; task++) {
      const r = zyda(['step', 'seg0', cfg, '--use-plan', '--task', String(task), '--tasks', String(files.length)]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`${files[task].replace('.', '\\.')}: cannot read \\(ENOENT\\).*unreadable_file; on_file_error: fail`));
      const marker = join(out, '.zyda', 'steps', 'seg0', taskFileName(join(out, '.zyda'), task));
      assert.ok(existsSync(`${marker}.failed`), `${files[task]}: a .failed marker`);
      assert.ok(!existsSync(`${marker}.running`), `${files[task]}: no stale .running marker`);
    }

    everyFormat(input);
    write('skip');
    assert.equal(zyda(['steps', cfg]).code, 0);
    for (const f of files) rmSync(join(input, f));
    for (const args of [['step', 'seg0'], ['step', 'write'], ['commit']]) {
      const r = zyda([...args, cfg, '--use-plan']);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    }
    const m = readManifestJson(out);
    assertBalanced(m);
    assert.equal(m.accounting.read, files.length);
    assert.deepEqual(m.accounting.errored, { unreadable_file: files.length });
  } finally {
    cleanup(dir);
  }
});

test('a symbolic link loop reads each real file once; a link to nothing follows on_file_error', () => {
  const dir = tempDir();
  try {
    const input = join(dir, 'in');
    mkdirSync(join(input, 'sub'), { recursive: true });
    writeFileSync(join(input, 'a.jsonl'), lines(0, 3));
    writeFileSync(join(input, 'sub', 'b.jsonl'), lines(3, 4));
    symlinkSync('..', join(input, 'sub', 'loop'));
    symlinkSync('a.jsonl', join(input, 'same-as-a.jsonl'));
    const { r, m } = runOn(dir, input, ['on_file_error: fail']);
    assert.equal(r.code, 0, r.stderr);
    assertBalanced(m!);
    assert.equal(m!.accounting.read, 7);
    assert.equal(m!.accounting.written, 7);

    symlinkSync(join(dir, 'gone.jsonl'), join(input, 'dangling.jsonl'));
    const failed = runOn(dir, input, ['on_file_error: fail']);
    assert.equal(failed.r.code, 2, failed.r.stderr);
    assert.match(failed.r.stderr, /symbolic link \S*in\/dangling\.jsonl points to nothing readable \(ENOENT\)/);
    const skipped = runOn(dir, input, ['on_file_error: skip']);
    assert.equal(skipped.r.code, 0, skipped.r.stderr);
    assert.equal(skipped.m!.accounting.written, 7);
    assert.deepEqual(skipped.m!.warnings.map((w) => w.kind), ['dangling_symlink']);
    // Named as an input path itself, not found by walking a directory.
    const named = runOn(dir, join(input, 'dangling.jsonl'), ['on_file_error: fail']);
    assert.equal(named.r.code, 2, named.r.stderr);
    assert.match(named.r.stderr, /symbolic link \S*in\/dangling\.jsonl points to nothing readable/);
  } finally {
    cleanup(dir);
  }
});

test('as a user who may not read them: an unreadable file is unreadable_file, an unreadable directory fails the run or is a warning', { skip: cannotDropPrivileges() }, () => {
  const dir = tempDir();
  try {
    const input = join(dir, 'in');
    mkdirSync(join(input, 'locked'), { recursive: true });
    everyFormat(input);
    writeFileSync(join(input, 'locked', 'z.jsonl'), lines(100, 5));
    const files = readdirSync(input).filter((f) => f !== 'locked');
    for (const f of files) chmodSync(join(input, f), 0o000);
    chmodSync(join(input, 'locked'), 0o000);
    chmodSync(dir, 0o777);
    const cfg = join(dir, 'pipeline.yaml');
    const asNobody = (policy: string) => {
      writeFileSync(cfg, [`output: ${join(dir, 'out')}`, `on_file_error: ${policy}`, 'sources:', '  - name: s', `    paths: [${input}]`].join('\n') + '\n');
      chmodSync(cfg, 0o644);
      const r = zydaAsNobody(['run', cfg, '--force']);
      return { code: r.code, stderr: r.stderr };
    };
    const failed = asNobody('fail');
    assert.equal(failed.code, 2, failed.stderr);
    assert.match(failed.stderr, /cannot list directory \S*in\/locked \(EACCES\)/);

    const skipped = asNobody('skip');
    assert.equal(skipped.code, 0, skipped.stderr);
    const m = readManifestJson(join(dir, 'out'));
    assertBalanced(m);
    assert.deepEqual(m.accounting.errored, { unreadable_file: files.length });
    assert.deepEqual(m.warnings.map((w) => w.kind), ['unreadable_directory']);
    for (const f of files) assert.match(skipped.stderr, new RegExp(`${f.replace('.', '\\.')}: cannot read \\(EACCES\\)`));
  } finally {
    chmodSync(join(dir, 'in', 'locked'), 0o755);
    cleanup(dir);
  }
});

test('invalid UTF-8 in a Parquet text or id column is invalid_utf8 with its row, not silent U+FFFD', () => {
  const dir = tempDir();
  try {
    const input = join(dir, 'in');
    mkdirSync(input);
    // String columns whose bytes are not all UTF-8: built from binary buffers, which pyarrow does not validate.
    const py = `import pyarrow as pa, pyarrow.parquet as pq
def strings(values):
    b = pa.array(values, type=pa.binary())
    return pa.StringArray.from_buffers(len(b), b.buffers()[1], b.buffers()[2], b.buffers()[0])
text = strings([b'good one', b'caf\\xe9 bad', 'a real \\ufffd stays'.encode(), b'fine text', b'last'])
ids = strings([b'a', b'b', b'c', b'd\\xff', b'e'])
pq.write_table(pa.table([text, ids], names=['text', 'id']), '${join(input, 'bad.parquet')}')`;
    const gen = spawnSync('python3', ['-c', py], { encoding: 'utf8' });
    assert.equal(gen.status, 0, gen.stderr);
    const out = join(dir, 'out');
    const cfg = join(dir, 'pipeline.yaml');
    writeFileSync(cfg, [`output: ${out}`, 'sources:', '  - name: s', `    paths: [${input}]`, '    id_field: id'].join('\n') + '\n');
    const r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    const m = readManifestJson(out);
    assertBalanced(m);
    assert.equal(m.accounting.written, 3);
    assert.deepEqual(m.accounting.errored, { invalid_utf8: 2 });
    assert.match(r.stderr, /bad\.parquet: row 1: invalid UTF-8 in column "text"/);
    assert.match(r.stderr, /bad\.parquet: row 3: invalid UTF-8 in column "id"/);
    const kept = zyda(['head', out, '--json', '-n', '10']).stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; text: string });
    assert.deepEqual(kept.map((d) => d.id), ['a', 'c', 'e']);
    assert.equal(kept[1].text, 'a real \ufffd stays');
  } finally {
    cleanup(dir);
  }
});
