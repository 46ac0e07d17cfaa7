// The sample corpus is a fixture other tests lean on, so check that it is
// reproducible, readable by the libraries the pipeline uses, and that
// planted.json tells the truth about it.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { decompress } from 'zstd-napi';
import { GENERATOR_VERSION, makeSample } from '../../scripts/make-sample.js';

// Compiled to dist/test/e2e/; the script is dist/scripts/make-sample.js.
const SCRIPT = fileURLToPath(new URL('../../scripts/make-sample.js', import.meta.url));

interface DocRef {
  source: 'web' | 'books' | 'email';
  file: string;
  line?: number;
  row?: number;
}

interface Planted {
  generator: string;
  web_languages: Record<string, number>;
  files: { path: string; source: string; format: string; text_field: string; docs: number; bytes: number }[];
  duplicates: { kind: 'exact' | 'near'; scope: string; jaccard: number[]; docs: DocRef[] }[];
  junk: (DocRef & { kind: string })[];
  incidental: unknown[];
}

let root: string;
let dirA: string;
let dirB: string;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'zyda-sample-test-'));
  dirA = join(root, 'a');
  dirB = join(root, 'b');
  // One run in-process and one through the command line, so both entry points are covered.
  const result = makeSample(dirA);
  assert.equal(result.generated, true);
  const child = spawnSync(process.execPath, [SCRIPT, dirB], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
});

after(() => {
  rmSync(root, { recursive: true, force: true });
});

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

function readPlanted(dir: string): Planted {
  return JSON.parse(readFileSync(join(dir, 'planted.json'), 'utf8')) as Planted;
}

function jsonLines(dir: string, path: string): unknown[] {
  const raw = readFileSync(join(dir, path));
  const text = (path.endsWith('.zst') ? decompress(raw) : path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  assert.ok(text.endsWith('\n'), `${path} should end with a newline`);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
}

function toArrayBuffer(buf: Buffer): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

async function readBooks(dir: string): Promise<Record<string, unknown>[]> {
  const file = toArrayBuffer(readFileSync(join(dir, 'books', 'books.parquet')));
  return parquetReadObjects({ file, compressors });
}

/** Text of every doc, keyed like "web/part-00000.jsonl.zst#12", to resolve planted.json refs. */
async function textsByRef(dir: string, planted: Planted): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const f of planted.files) {
    if (f.format === 'parquet') {
      (await readBooks(dir)).forEach((row, i) => texts.set(`${f.path}#${i}`, String(row['content'])));
    } else {
      jsonLines(dir, f.path).forEach((rec, i) => {
        const value = f.text_field.split('.').reduce<unknown>((obj, key) => (obj as Record<string, unknown>)[key], rec);
        texts.set(`${f.path}#${i + 1}`, String(value));
      });
    }
  }
  return texts;
}

const refKey = (r: DocRef): string => `${r.file}#${r.line ?? r.row}`;

test('two runs produce byte-identical output', () => {
  const filesA = listFiles(dirA);
  assert.deepEqual(listFiles(dirB), filesA);
  for (const file of filesA) {
    assert.ok(readFileSync(join(dirA, file)).equals(readFileSync(join(dirB, file))), `${file} differs between runs`);
  }
});

test('every expected file exists and is non-empty', () => {
  const expected = [
    '.complete',
    'README.md',
    'planted.json',
    'web/part-00000.jsonl.zst',
    'web/part-00001.jsonl.zst',
    'books/books.parquet',
    'email/emails.jsonl.gz',
  ];
  for (const file of expected) assert.ok(statSync(join(dirA, file)).size > 0, `${file} is empty`);
  assert.equal(readFileSync(join(dirA, '.complete'), 'utf8').trim(), GENERATOR_VERSION);
  const leftovers = readdirSync(root).filter((name) => name.includes('.tmp-'));
  assert.deepEqual(leftovers, [], 'temp dirs should be renamed away');
});

test('books.parquet reads back with hyparquet', async () => {
  const planted = readPlanted(dirA);
  const expectedRows = planted.files.find((f) => f.path === 'books/books.parquet')?.docs;
  assert.ok(expectedRows && expectedRows >= 200);

  const metadata = parquetMetadata(toArrayBuffer(readFileSync(join(dirA, 'books', 'books.parquet'))));
  assert.equal(Number(metadata.num_rows), expectedRows);
  assert.ok(metadata.row_groups.length >= 2, 'want several row groups');
  for (const group of metadata.row_groups) {
    for (const column of group.columns) assert.equal(column.meta_data?.codec, 'ZSTD');
  }

  const rows = await readBooks(dirA);
  assert.equal(rows.length, expectedRows);
  for (const row of rows) {
    assert.deepEqual(Object.keys(row), ['id', 'content', 'title', 'genre']);
    assert.ok(typeof row['content'] === 'string' && row['content'].length > 0);
  }
});

test('jsonl shards decode and match the counts in planted.json', () => {
  const planted = readPlanted(dirA);
  for (const f of planted.files.filter((file) => file.format !== 'parquet')) {
    const records = jsonLines(dirA, f.path);
    assert.equal(records.length, f.docs, f.path);
    for (const rec of records) {
      if (f.source === 'web') {
        const doc = rec as { text: unknown; url: unknown; lang: unknown };
        assert.deepEqual(Object.keys(doc), ['text', 'url', 'lang']);
        assert.equal(typeof doc.text, 'string');
      } else {
        const mail = rec as { body: { text: unknown }; label: unknown };
        assert.equal(typeof mail.body.text, 'string');
        assert.ok(mail.label === 'spam' || mail.label === 'ham');
      }
    }
  }
  assert.ok(Object.keys(planted.web_languages).length >= 3, 'want at least three languages');
});

test('planted.json matches the documents it points at', async () => {
  const planted = readPlanted(dirA);
  const texts = await textsByRef(dirA, planted);
  const scopes = new Set(planted.duplicates.map((g) => g.scope));
  assert.ok([...scopes].some((s) => s.includes('+')), 'want cross-source duplicates');

  for (const group of planted.duplicates) {
    const members = group.docs.map((ref) => texts.get(refKey(ref)));
    for (const text of members) assert.equal(typeof text, 'string', `dangling ref in ${group.scope}`);
    if (group.kind === 'exact') {
      for (const text of members) assert.equal(text, members[0]);
    } else {
      assert.notEqual(members[1], members[0]);
      for (const j of group.jaccard) assert.ok(j >= 0.5 && j <= 0.9, `near-dup Jaccard ${j} out of range`);
    }
  }

  const webDocs = planted.files.filter((f) => f.source === 'web').reduce((n, f) => n + f.docs, 0);
  const share = planted.junk.length / webDocs;
  assert.ok(share >= 0.05 && share <= 0.1, `junk share ${share}`);
  for (const junk of planted.junk) assert.ok(texts.has(refKey(junk)), `dangling junk ref ${refKey(junk)}`);
  const short = planted.junk.filter((j) => j.kind === 'very-short').map((j) => texts.get(refKey(j)) ?? '');
  for (const text of short) assert.ok(text.split(/\s+/).length <= 5, `not short: ${text}`);

  assert.deepEqual(planted.incidental, [], 'only planted documents should overlap');
});

test('refuses to replace a folder that is not a sample corpus', () => {
  const unrelated = join(root, 'unrelated');
  mkdirSync(unrelated);
  writeFileSync(join(unrelated, 'notes.txt'), 'keep me');
  assert.throws(() => makeSample(unrelated), /refusing to replace/);
  assert.equal(readFileSync(join(unrelated, 'notes.txt'), 'utf8'), 'keep me');
});

test('rerunning is a no-op until the version marker changes', () => {
  const mtime = statSync(join(dirA, 'planted.json')).mtimeMs;
  assert.equal(makeSample(dirA).generated, false);
  assert.equal(statSync(join(dirA, 'planted.json')).mtimeMs, mtime);

  writeFileSync(join(dirA, '.complete'), 'some older version\n');
  assert.equal(makeSample(dirA).generated, true);
  assert.equal(readFileSync(join(dirA, '.complete'), 'utf8').trim(), GENERATOR_VERSION);
  assert.ok(readFileSync(join(dirA, 'planted.json')).equals(readFileSync(join(dirB, 'planted.json'))));
});
