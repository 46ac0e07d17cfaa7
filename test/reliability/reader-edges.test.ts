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
function runOn(dir: string, input: string, extra: string[] = []): { r: CliResult; m?: Manifest; out: string } {
  const out = join(dir, 'out');
  const cfg = join(dir, 'pipeline.yaml');
  writeFileSync(cfg, [`output: ${out}`, 'workers: 1', ...extra, 'sources:', '  - name: s', `    paths: [${input}]`].join('\n') + '\n');
  const r = zyda(['run', cfg, '--force']);
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
