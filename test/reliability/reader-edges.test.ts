import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { compress } from 'zstd-napi';
import { cleanup, readManifestJson, tempDir, zyda, type CliResult } from '../helpers.js';
import type { Manifest } from '../../stages/manifest.js';

const sum = (c: Record<string, number> = {}) => Object.values(c).reduce((a, b) => a + b, 0);
const lines = (from: number, n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ text: `document ${from + i} ${'lorem ipsum '.repeat(20)}`, n: from + i })).join('\n') + '\n';

/** Runs zyda on one input directory with the given top-level config lines; returns the CLI result and the manifest, if any. */
function runOn(dir: string, input: string, extra: string[] = [], env: Record<string, string> = {}): { r: CliResult; m?: Manifest; out: string } {
  const out = join(dir, 'out');
  const cfg = join(dir, 'pipeline.yaml');
  writeFileSync(cfg, [`output: ${out}`, 'workers: 1', ...extra, 'sources:', '  - name: s', `    paths: [${input}]`].join('\n') + '\n');
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
