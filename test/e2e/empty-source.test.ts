import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, readManifestJson, tempDir, zyda } from '../helpers.js';

/** A source whose records hold their text under `content`, and one that is right. */
function writeInputs(dir: string): string {
  const records = Array.from({ length: 1952 }, (_, i) => JSON.stringify({ url: `https://example.com/${i}`, content: `page ${i}`, meta: {} }));
  writeFileSync(join(dir, 'web.jsonl'), records.join('\n') + '\n');
  writeFileSync(join(dir, 'books.jsonl'), JSON.stringify({ text: 'a book' }) + '\n');
  const cfg = join(dir, 'c.yaml');
  writeFileSync(cfg, 'output: out\nsources:\n  - {name: web, paths: web.jsonl, text_field: text}\n  - {name: books, paths: books.jsonl}\nstages:\n  - tokens: {}\n');
  return cfg;
}

test('a source whose every record errored fails the run with exit 1, naming the source and the field', () => {
  const dir = tempDir();
  try {
    const cfg = writeInputs(dir);
    const r = zyda(['run', cfg]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /zyda: source web: 1,952 of 1,952 records errored \(missing_text 1,952\), e\.g\. .*web\.jsonl: line 1: no text field "text" \(fields: url, content, meta\)/);
    assert.match(r.stderr, /allow_empty_sources: true/);
    assert.ok(!existsSync(join(dir, 'out', 'manifest.json')), 'nothing is committed');
  } finally {
    cleanup(dir);
  }
});

test('allow_empty_sources (key and flag) commits the run, with the errors counted', () => {
  const dir = tempDir();
  try {
    const cfg = writeInputs(dir);
    let r = zyda(['run', cfg, '--allow-empty-sources']);
    assert.equal(r.code, 0, r.stderr);
    const m = readManifestJson(join(dir, 'out'));
    assert.deepEqual(m.accounting.by_source.web.errored, { missing_text: 1952 });
    assert.equal(m.accounting.by_source.books.written, 1);

    writeFileSync(cfg, 'allow_empty_sources: true\n' + readFileSync(cfg, 'utf8').replace('output: out', 'output: out2'));
    r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readManifestJson(join(dir, 'out2')).accounting.by_source.web.errored.missing_text, 1952);
  } finally {
    cleanup(dir);
  }
});
