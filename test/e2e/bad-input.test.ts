import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { compress } from 'zstd-napi';
import { cleanup, duck, readManifestJson, shardGlob, tempDir, zyda, type CliResult } from '../helpers.js';
import type { Manifest } from '../../runtime/manifest.js';

const good = (i: number) => JSON.stringify({ text: `document number ${i} with enough words to be a document`, i });
const lines = (n: number, from = 0) => Array.from({ length: n }, (_, i) => good(from + i));

function balanced(m: Manifest): void {
  const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
  assert.equal(m.accounting.read, m.accounting.written + sum(m.accounting.dropped) + sum(m.accounting.errored), 'read = written + dropped + errored');
}

/** Runs `zyda tokens` over one input file in a fresh directory. */
function runOn(name: string, content: string | Buffer, flags: string[] = [], env?: Record<string, string>): { dir: string; out: string; r: CliResult } {
  const dir = tempDir();
  const file = join(dir, name);
  writeFileSync(file, content);
  const out = join(dir, 'out');
  const r = zyda(['tokens', '--input', file, '--source', 's', '-o', out, '--workers', '1', ...flags], { env });
  return { dir, out, r };
}

test('malformed JSON lines are counted with file and line, and skipped by default', () => {
  const { dir, out, r } = runOn('a.jsonl', [...lines(3), '{"text": "unterminated', ...lines(2, 3), '[1,2]', 'null'].join('\n') + '\n');
  try {
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /a\.jsonl: line 4: malformed JSON/);
    assert.match(r.stderr, /a\.jsonl: line 7: expected a JSON object, got an array/);
    const m = readManifestJson(out);
    assert.equal(m.accounting.errored.malformed_json, 1);
    assert.equal(m.accounting.errored.not_an_object, 2);
    assert.equal(m.accounting.written, 5);
    balanced(m);
    assert.ok(existsSync(join(out, '.zyda', 'logs', 'errors')), 'every problem is logged in the workdir');
  } finally {
    cleanup(dir);
  }
});

test('on_error: fail stops the run with exit 1 at the first bad record, and leaves no manifest', () => {
  const { dir, out, r } = runOn('a.jsonl', [...lines(3), 'oops', ...lines(2)].join('\n'), ['--on-error', 'fail']);
  try {
    assert.equal(r.code, 1);
    assert.match(r.stderr, /a\.jsonl: line 4: malformed JSON .*on_error: fail/);
    assert.equal(existsSync(join(out, 'manifest.json')), false);
  } finally {
    cleanup(dir);
  }
});

test('invalid UTF-8 is reported by line and the rest of the file is kept', () => {
  const bad = Buffer.concat([Buffer.from(lines(2).join('\n') + '\n'), Buffer.from('{"text": "caf'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n'), Buffer.from(lines(2, 2).join('\n') + '\n')]);
  const { dir, out, r } = runOn('u.jsonl', bad);
  try {
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /u\.jsonl: line 3: invalid UTF-8/);
    const m = readManifestJson(out);
    assert.equal(m.accounting.errored.invalid_utf8, 1);
    assert.equal(m.accounting.written, 4);
    balanced(m);
  } finally {
    cleanup(dir);
  }
});

test('a missing or non-string text field is counted by kind', () => {
  const { dir, out, r } = runOn('t.jsonl', [good(0), '{"body": "x"}', '{"text": 42}', '{"text": null}', good(1)].join('\n'));
  try {
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /t\.jsonl: line 2: no text field "text" \(fields: body\)/);
    assert.match(r.stderr, /t\.jsonl: line 3: text field "text" is number/);
    const m = readManifestJson(out);
    assert.deepEqual(m.accounting.errored, { missing_text: 2, text_not_string: 1 });
    assert.equal(m.accounting.written, 2, 'a last line without a newline is still read');
    balanced(m);
  } finally {
    cleanup(dir);
  }
});

for (const [label, env] of [['zstd CLI', {}], ['zstd-napi', { ZYDA_ZSTD: 'napi' }]] as const) {
  test(`a truncated .jsonl.zst fails by default and, with skip, keeps what came before (${label})`, () => {
    const full = compress(Buffer.from(lines(20000).join('\n') + '\n'));
    const cut = full.subarray(0, Math.floor(full.length * 0.6));
    const failed = runOn('t.jsonl.zst', cut, [], env);
    try {
      assert.equal(failed.r.code, 1);
      assert.match(failed.r.stderr, /t\.jsonl\.zst: truncated compressed stream.*stopped at line \d+ \[truncated_file; on_file_error: fail\]/);
      assert.equal(existsSync(join(failed.out, 'manifest.json')), false);
    } finally {
      cleanup(failed.dir);
    }
    const skipped = runOn('t.jsonl.zst', cut, ['--on-file-error', 'skip'], env);
    try {
      assert.equal(skipped.r.code, 0, skipped.r.stderr);
      const m = readManifestJson(skipped.out);
      assert.equal(m.accounting.errored.truncated_file, 1);
      assert.ok(m.accounting.written > 5000 && m.accounting.written < 20000, `kept the docs before the cut (${m.accounting.written})`);
      balanced(m);
    } finally {
      cleanup(skipped.dir);
    }
  });
}

test('a truncated .jsonl.gz is a truncated_file', () => {
  const full = gzipSync(lines(5000).join('\n') + '\n');
  const { dir, out, r } = runOn('t.jsonl.gz', full.subarray(0, full.length - 100), ['--on-file-error', 'skip']);
  try {
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /t\.jsonl\.gz: truncated compressed stream/);
    const m = readManifestJson(out);
    assert.equal(m.accounting.errored.truncated_file, 1);
    balanced(m);
  } finally {
    cleanup(dir);
  }
});

test('a corrupt parquet file is a corrupt_file, and a parquet without the text column errors every row', async () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'src.jsonl'), lines(10).join('\n'));
    await duck(`COPY (SELECT * FROM read_json('${join(dir, 'src.jsonl')}')) TO '${join(dir, 'ok.parquet')}' (FORMAT parquet)`);
    await duck(`COPY (SELECT text AS body, i FROM read_json('${join(dir, 'src.jsonl')}')) TO '${join(dir, 'notext.parquet')}' (FORMAT parquet)`);
    const bytes = readFileSync(join(dir, 'ok.parquet'));
    writeFileSync(join(dir, 'corrupt.parquet'), Buffer.concat([bytes.subarray(0, 40), Buffer.alloc(200, 7), bytes.subarray(bytes.length - 30)]));
    const out = join(dir, 'out');
    let r = zyda(['tokens', '--input', join(dir, 'corrupt.parquet'), '-o', out]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /corrupt\.parquet: not a readable parquet file/);
    r = zyda(['tokens', '--input', join(dir, '*.parquet'), '-o', out, '--on-file-error', 'skip']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /notext\.parquet: no column "text" \(columns: body, i\)/);
    const m = readManifestJson(out);
    assert.deepEqual(m.accounting.errored, { corrupt_file: 1, missing_text_column: 10 });
    assert.equal(m.accounting.written, 10);
    balanced(m);
  } finally {
    cleanup(dir);
  }
});

test('empty files are read as zero documents', () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'e.jsonl'), '');
    writeFileSync(join(dir, 'e2.jsonl.zst'), compress(Buffer.alloc(0)));
    writeFileSync(join(dir, 'e3.jsonl.gz'), gzipSync(''));
    writeFileSync(join(dir, 'blank.jsonl'), '\n\n  \n');
    writeFileSync(join(dir, 'one.jsonl'), good(1));
    const out = join(dir, 'out');
    const r = zyda(['tokens', '--input', join(dir, '*.jsonl*'), '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    const m = readManifestJson(out);
    assert.equal(m.accounting.read, 1);
    assert.equal(m.accounting.written, 1);
  } finally {
    cleanup(dir);
  }
});

test('a 100 MB document is errored as doc_too_large without being held in memory, and its neighbours are kept', () => {
  const dir = tempDir();
  try {
    const file = join(dir, 'big.jsonl');
    const fd = openSync(file, 'w');
    writeSync(fd, good(0) + '\n{"text": "');
    const block = Buffer.alloc(1 << 20, 'abcdefghij ');
    for (let i = 0; i < 100; i++) writeSync(fd, block);
    writeSync(fd, '"}\n' + good(2) + '\n');
    closeSync(fd);
    const out = join(dir, 'out');
    const r = zyda(['tokens', '--input', file, '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /big\.jsonl: line 2: line of more than 67108864 bytes is over max_doc_bytes \[doc_too_large\]/);
    const m = readManifestJson(out);
    assert.equal(m.accounting.errored.doc_too_large, 1);
    assert.equal(m.accounting.written, 2);
    balanced(m);
  } finally {
    cleanup(dir);
  }
});

test('a large document under the limit is written whole', async () => {
  const dir = tempDir();
  try {
    const text = 'word '.repeat(1_000_000);
    writeFileSync(join(dir, 'a.jsonl'), JSON.stringify({ text }) + '\n');
    const out = join(dir, 'out');
    const r = zyda(['tokens', '--input', join(dir, 'a.jsonl'), '-o', out, '--max-doc-bytes', '10MB']);
    assert.equal(r.code, 0, r.stderr);
    const [row] = await duck<{ n: number }>(`SELECT length(text) AS n FROM read_parquet('${shardGlob(out)}')`);
    assert.equal(Number(row.n), text.length);
  } finally {
    cleanup(dir);
  }
});

test('a glob that matches nothing is a usage error, or a warning under on_file_error: skip', () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'a.jsonl'), good(1));
    let r = zyda(['tokens', '--input', join(dir, 'nothing-*.jsonl'), '-o', join(dir, 'out')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nothing-\*\.jsonl matched no files/);
    r = zyda(['tokens', '--input', join(dir, 'nothing-*.jsonl'), join(dir, 'a.jsonl'), '-o', join(dir, 'out'), '--on-file-error', 'skip']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: .*matched no files/);
    assert.equal(readManifestJson(join(dir, 'out')).accounting.written, 1);
  } finally {
    cleanup(dir);
  }
});
