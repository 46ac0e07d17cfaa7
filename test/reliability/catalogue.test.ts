import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { compress } from 'zstd-napi';
import { cleanup, duck, listFiles, readManifestJson, tempDir, zyda } from '../helpers.js';
import type { Manifest } from '../../runtime/manifest.js';

const WORDS = 'amber basalt cobalt dune ember fjord glacier harbor island jasper kelp lagoon meadow nectar orchard prairie quartz reef savanna tundra'.split(' ');
const prose = (seed: number) => {
  let x = (seed * 2654435761 + 7) >>> 0;
  return Array.from({ length: 60 }, (_, j) => (j % 4 === 0 ? ['the', 'and', 'of', 'to'][j % 3] : WORDS[((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8) % WORDS.length])).join(' ') + '.';
};
const doc = (i: number, extra: Record<string, unknown> = {}) => JSON.stringify({ text: prose(i), i, ...extra });
const sum = (c: Record<string, number> = {}) => Object.values(c).reduce((a, b) => a + b, 0);

/** Every kind of bad input at once, through a whole YAML pipeline with filters, dedup and kept rejects. */
test('the bad-input catalogue end to end through zyda run: every doc accounted for, every problem located', async () => {
  const dir = tempDir();
  try {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    const c = join(dir, 'c');
    for (const d of [a, b, c]) mkdirSync(d);
    // a: good docs with copies, a malformed line, invalid UTF-8, a missing and a non-string text, an empty file,
    //    a document over max_doc_bytes.
    writeFileSync(
      join(a, 'mixed.jsonl'),
      Buffer.concat([
        Buffer.from([doc(1), doc(2), doc(1, { copy: true }), '{"text": "unterminated', doc(3)].join('\n') + '\n'),
        Buffer.from('{"text": "bad \xff\xfe bytes"}\n', 'latin1'),
        Buffer.from([JSON.stringify({ body: 'no text' }), JSON.stringify({ text: 42 }), doc(4)].join('\n') + '\n'),
      ]),
    );
    writeFileSync(join(a, 'empty.jsonl'), '');
    writeFileSync(join(a, 'big.jsonl'), [doc(5), JSON.stringify({ text: 'x '.repeat(1_500_000) }), doc(6)].join('\n') + '\n');
    // b: a truncated .jsonl.gz and a truncated .jsonl.zst.
    const many = Array.from({ length: 3000 }, (_, i) => doc(100 + i)).join('\n') + '\n';
    const gz = gzipSync(many);
    writeFileSync(join(b, 'cut.jsonl.gz'), gz.subarray(0, gz.length - 200));
    const zst = compress(Buffer.from(many));
    writeFileSync(join(b, 'cut.jsonl.zst'), zst.subarray(0, zst.length - 200));
    // c: a good parquet, a corrupt one, and one without the text column.
    writeFileSync(join(dir, 'src.jsonl'), Array.from({ length: 10 }, (_, i) => doc(5000 + i)).join('\n'));
    await duck(`COPY (SELECT * FROM read_json('${join(dir, 'src.jsonl')}')) TO '${join(c, 'ok.parquet')}' (FORMAT parquet)`);
    await duck(`COPY (SELECT text AS body, i FROM read_json('${join(dir, 'src.jsonl')}')) TO '${join(c, 'notext.parquet')}' (FORMAT parquet)`);
    const bytes = readFileSync(join(c, 'ok.parquet'));
    writeFileSync(join(c, 'corrupt.parquet'), Buffer.concat([bytes.subarray(0, 40), Buffer.alloc(200, 7), bytes.subarray(bytes.length - 30)]));

    const out = join(dir, 'out');
    const cfg = join(dir, 'pipeline.yaml');
    writeFileSync(
      cfg,
      [
        `output: ${out}`,
        `keep_rejected: ${join(dir, 'rejected')}`,
        'on_file_error: skip',
        'max_doc_bytes: 1MB',
        'sources:',
        `  - {name: a, paths: ${a}, rank: 0}`,
        `  - {name: b, paths: ${b}, rank: 1}`,
        `  - {name: c, paths: ${c}, rank: 2}`,
        'stages:',
        '  - filter: {gopher_quality: {}}',
        '  - dedup: {exact: true, threshold: 0.7}',
        '',
      ].join('\n'),
    );
    const r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    const m: Manifest = readManifestJson(out);
    for (const [name, s] of Object.entries(m.accounting.by_source)) {
      assert.equal(s.read, s.written + sum(s.dropped) + sum(s.duplicates) + sum(s.errored), `source ${name}: read = written + dropped + duplicates + errored`);
    }
    assert.deepEqual(Object.keys(m.accounting.errored).sort(), ['corrupt_file', 'doc_too_large', 'invalid_utf8', 'malformed_json', 'missing_text', 'missing_text_column', 'text_not_string', 'truncated_file']);
    assert.equal(m.accounting.by_source.a.duplicates['dedup/exact'], 1, 'the copy of doc 1 is an exact duplicate');
    assert.equal(m.accounting.errored.missing_text_column, 10);

    // Every problem is in the error log with its file and line or row.
    const logs = join(out, '.zyda', 'logs', 'errors');
    const problems = readdirSync(logs).flatMap((f) => readFileSync(join(logs, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; file: string; line?: number; row?: number }));
    assert.ok(problems.every((p) => p.file && existsSync(p.file)));
    for (const kind of ['malformed_json', 'invalid_utf8', 'missing_text', 'text_not_string', 'doc_too_large']) {
      assert.ok(problems.some((p) => p.kind === kind && typeof p.line === 'number'), `${kind} has a line`);
    }
    // Nothing that looks finished is half-written: no temporary files are left in the outputs.
    for (const f of [...listFiles(join(out, 'data')), ...listFiles(join(dir, 'rejected'))]) assert.ok(!f.includes('.tmp-'), f);
    const rejected = readManifestJson(join(dir, 'rejected'));
    assert.equal(rejected.totals.docs, m.accounting.dropped ? sum(m.accounting.dropped) + sum(m.accounting.duplicates) : 0);
  } finally {
    cleanup(dir);
  }
});
