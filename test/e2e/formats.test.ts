import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { compress } from 'zstd-napi';
import { tableFromJSON, tableToIPC } from 'apache-arrow';
import { cleanup, duck, outputDigest, readManifestJson, shardGlob, tempDir, zyda } from '../helpers.js';

interface InDoc {
  text: string;
  url: string;
  n: number;
}

function docs(prefix: string, count: number): InDoc[] {
  return Array.from({ length: count }, (_, i) => ({ text: `${prefix} document ${i}: naïve café 東京 🚀 ${'lorem ipsum '.repeat(i % 7)}`, url: `https://example.org/${prefix}/${i}`, n: i }));
}

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

test('reads jsonl, jsonl.gz, jsonl.zst, parquet and arrow, and writes what DuckDB reads back', async () => {
  const dir = tempDir();
  try {
    const inputs = join(dir, 'in');
    mkdirSync(join(inputs, 'web'), { recursive: true });
    mkdirSync(join(inputs, 'books'), { recursive: true });
    mkdirSync(join(inputs, 'hf'), { recursive: true });
    const plain = docs('plain', 50);
    const gz = docs('gz', 40);
    const zst = docs('zst', 30);
    writeFileSync(join(inputs, 'web', 'a.jsonl'), jsonl(plain));
    writeFileSync(join(inputs, 'web', 'b.jsonl.gz'), gzipSync(jsonl(gz)));
    writeFileSync(join(inputs, 'web', 'c.jsonl.zst'), compress(Buffer.from(jsonl(zst))));
    // Parquet written by DuckDB, and with the text under another name, to exercise the field mapping.
    const pq = docs('pq', 25).map((d) => ({ body: d.text, url: d.url, n: d.n }));
    writeFileSync(join(inputs, 'pq.jsonl'), jsonl(pq));
    await duck(`COPY (SELECT * FROM read_json('${join(inputs, 'pq.jsonl')}')) TO '${join(inputs, 'books', 'p.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 10)`);
    const arrow = docs('arrow', 20);
    writeFileSync(join(inputs, 'hf', 'data-00000-of-00001.arrow'), tableToIPC(tableFromJSON(arrow as unknown as Record<string, unknown>[]), 'stream'));

    const out = join(dir, 'out');
    writeFileSync(
      join(dir, 'p.yaml'),
      `name: formats
output: out
workers: 2
sources:
  - name: web
    paths: ["in/web/*"]
    rank: 1
  - name: books
    paths: in/books
    text_field: body
    id_field: url
    rank: 0
  - name: hf
    paths: in/hf
    rank: 2
`,
    );
    const r = zyda(['run', join(dir, 'p.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /web\s+1\s+120/);

    const m = readManifestJson(out);
    assert.equal(m.sources.web.docs, 120);
    assert.equal(m.sources.books.docs, 25);
    assert.equal(m.sources.hf.docs, 20);
    assert.equal(m.accounting.read, 165);
    assert.equal(m.accounting.written, 165);

    const [agg] = await duck<{ n: bigint; tokens: bigint; ids: bigint }>(`SELECT count(*) AS n, sum(token_count) AS tokens, count(DISTINCT id) AS ids FROM read_parquet('${shardGlob(out)}')`);
    assert.equal(Number(agg.n), m.totals.docs);
    assert.equal(Number(agg.tokens), m.totals.tokens);
    assert.equal(Number(agg.ids), m.totals.docs, 'ids are unique');

    // Texts survive byte for byte, and each row carries its source, a token count and JSON metadata.
    const rows = await duck<{ id: string; text: string; source: string; token_count: number; metadata: string }>(`SELECT * FROM read_parquet('${shardGlob(out)}') ORDER BY id`);
    const want = new Map<string, string>([...plain, ...gz, ...zst, ...arrow].map((d) => [d.url, d.text]));
    for (const p of pq) want.set(p.url, p.body);
    for (const row of rows) {
      const meta = JSON.parse(row.metadata) as { url?: string };
      const url = row.source === 'books' ? row.id : meta.url;
      assert.ok(url, `row ${row.id} keeps its url`);
      assert.equal(row.text, want.get(url!), `text of ${row.id}`);
      assert.ok(row.token_count > 0);
    }
    const ids = rows.map((r) => r.id);
    assert.ok(ids.includes('web/a.jsonl#1') && ids.includes('web/b.jsonl.gz#40') && ids.includes('web/c.jsonl.zst#30'), 'positional ids name file and 1-based line');
    assert.ok(ids.includes('hf/data-00000-of-00001.arrow#0'), 'arrow rows are 0-based');
    assert.ok(ids.includes('https://example.org/pq/3'), 'id_field is used when set');
    const book = rows.find((r) => r.id === 'https://example.org/pq/3')!;
    assert.deepEqual(JSON.parse(book.metadata), { n: 3 }, 'metadata holds the other fields, not text or id');
  } finally {
    cleanup(dir);
  }
});

test('inputs that are symbolic links are read like the files they point to, in every compressed format', () => {
  const dir = tempDir();
  try {
    const store = join(dir, 'store');
    const linked = join(dir, 'linked');
    mkdirSync(store, { recursive: true });
    mkdirSync(linked, { recursive: true });
    writeFileSync(join(store, 'a.jsonl'), jsonl(docs('plain', 5)));
    writeFileSync(join(store, 'b.jsonl.gz'), gzipSync(jsonl(docs('gz', 6))));
    writeFileSync(join(store, 'c.jsonl.zst'), compress(Buffer.from(jsonl(docs('zst', 7)))));
    for (const f of ['a.jsonl', 'b.jsonl.gz', 'c.jsonl.zst']) symlinkSync(join(store, f), join(linked, f));
    const out = join(dir, 'out');
    const r = zyda(['tokens', '--input', linked, '--source', 'web', '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    const m = readManifestJson(out);
    assert.equal(m.accounting.read, 18);
    assert.equal(m.sources.web.docs, 18);
  } finally {
    cleanup(dir);
  }
});

test('zstd: a pool with a thread per core decompresses in its threads, a smaller one with the zstd CLI, to the same output', () => {
  const cores = availableParallelism();
  const dir = tempDir();
  try {
    // A `zstd` first on PATH that logs each call, then runs the real one.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const log = join(dir, 'calls.log');
    const real = execFileSync('sh', ['-c', 'command -v zstd'], { encoding: 'utf8' }).trim();
    writeFileSync(join(bin, 'zstd'), `#!/bin/sh\necho "$@" >> ${log}\nexec ${real} "$@"\n`, { mode: 0o755 });
    mkdirSync(join(dir, 'in'));
    const lines = (from: number) => Array.from({ length: 300 }, (_, i) => JSON.stringify({ text: `doc ${from + i} ${'word '.repeat(40)}` })).join('\n') + '\n';
    for (let f = 0; f < Math.max(2, cores); f++) writeFileSync(join(dir, 'in', `p${f}.jsonl.zst`), compress(Buffer.from(lines(f * 1000))));
    const env = { PATH: `${bin}:${process.env.PATH}` };
    const run = (out: string, workers: number) => {
      rmSync(log, { force: true });
      // One task per file: a task per thread.
      const r = zyda(['tokens', '--input', join(dir, 'in'), '--source', 'web', '-o', join(dir, out), '--workers', String(workers), '--task-bytes', '1KB'], { env });
      assert.equal(r.code, 0, r.stderr);
      return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('-dc')).length : 0;
    };
    assert.equal(run('all-cores', cores), 0, 'no zstd process when every core runs a task thread');
    if (cores > 1) assert.ok(run('fewer', 1) >= Math.max(2, cores), 'the CLI decompresses each file when cores are free');
    if (cores > 1) assert.deepEqual(outputDigest(join(dir, 'all-cores')), outputDigest(join(dir, 'fewer')));
  } finally {
    cleanup(dir);
  }
});
