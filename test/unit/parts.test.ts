import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PartWriter, readPart, type PartInfo } from '../../io/parts.js';
import type { Doc } from '../../core/types.js';
import { cleanup, tempDir } from '../helpers.js';

const docs: Doc[] = [
  { id: 'a#1', text: 'plain', source: 'web', meta: {} },
  { id: 'a#2', text: 'naïve 東京 🚀 "quoted"\n\ttabs \\ and \u0000 nul', source: 'web', meta: { url: 'https://x/ü', n: 3, nested: { a: [1, null] } }, tokenCount: 7 },
  { id: 'lone', text: 'a lone surrogate \ud800 and a reversed pair \udc00\ud800', source: 'web', meta: { k: '\udfff' }, tokenCount: 0 },
  { id: 'big', text: 'x'.repeat(9 << 20) + ' end', source: 'books', meta: {}, tokenCount: 1 },
  { id: 'all', text: 'after', source: 'books', meta: {}, original: 'before', features: { f: 1.5 }, columns: { reason: 'gopher/too_short', language: 'en', language_score: 0.9, dup_cluster_size: 2, flag: false } },
  { id: 'empty', text: '', source: 'web', meta: {} },
  ...Array.from({ length: 5000 }, (_, i) => ({ id: `many#${i}`, text: `doc ${i} `.repeat(1 + (i % 300)), source: 'web', meta: { i } })),
];

async function readAll(info: PartInfo): Promise<Doc[]> {
  const out: Doc[] = [];
  for await (const b of readPart(info, 'segment 0 task 3')) out.push(...b);
  return out;
}

test('parts: every doc and field comes back exactly, lone surrogates and a 9 MB text included, over many blocks', async () => {
  const dir = tempDir();
  try {
    const w = new PartWriter(join(dir, 'p.part'));
    for (let i = 0; i < docs.length; i += 333) w.write(docs.slice(i, i + 333));
    const info = w.close();
    assert.equal(info.rows, docs.length);
    assert.equal(info.bytes, statSync(info.path).size);
    const back = await readAll(info);
    assert.equal(back.length, docs.length);
    for (let i = 0; i < docs.length; i++) {
      const want = { ...docs[i] };
      // A reader only sets what was written; absent fields come back undefined.
      assert.deepEqual(Object.fromEntries(Object.entries(back[i]).filter(([, v]) => v !== undefined)), want, docs[i].id);
    }
  } finally {
    cleanup(dir);
  }
});

test('parts: a cut or changed part is refused with its path and the task to rerun', async () => {
  const dir = tempDir();
  try {
    const w = new PartWriter(join(dir, 'p.part'));
    w.write(docs);
    const info = w.close();
    const whole = readFileSync(info.path);
    const refused = async (why: RegExp) => assert.rejects(readAll(info), (e: Error) => e.message.includes(info.path) && why.test(e.message) && /rerun segment 0 task 3/.test(e.message));

    truncateSync(info.path, whole.length - 5);
    await refused(/cut short/);
    truncateSync(info.path, 3);
    await refused(/cut short/);

    const flipped = Buffer.from(whole);
    flipped[whole.length - 100] ^= 0x40;
    writeFileSync(info.path, flipped);
    await refused(/unreadable intermediate|does not match its checksum/);

    // A whole block missing at the end still decodes cleanly: the checksum and row count catch it.
    const firstBlock = 8 + whole.readUInt32LE(0);
    writeFileSync(info.path, whole.subarray(0, firstBlock));
    await refused(/does not match its checksum/);
  } finally {
    cleanup(dir);
  }
});

test('parts: a range of rows comes back alone, over block edges, and a change after it is still refused', async () => {
  const dir = tempDir();
  try {
    const w = new PartWriter(join(dir, 'p.part'));
    for (let i = 0; i < docs.length; i += 333) w.write(docs.slice(i, i + 333));
    const info = w.close();
    const ids = async (keep: { from: number; to: number }) => {
      const out: string[] = [];
      for await (const b of readPart(info, 'segment 0 task 3', 100, keep)) out.push(...b.map((d) => d.id));
      return out;
    };
    const all = docs.map((d) => d.id);
    for (const [from, to] of [[0, 1], [3, 4], [0, docs.length], [332, 334], [1000, 2001], [docs.length - 1, docs.length], [7, 7]]) {
      assert.deepEqual(await ids({ from, to }), all.slice(from, to), `rows ${from}–${to}`);
    }
    // Rows after the range are not decoded, but their bytes are still checked.
    const whole = readFileSync(info.path);
    const flipped = Buffer.from(whole);
    flipped[whole.length - 100] ^= 0x40;
    writeFileSync(info.path, flipped);
    await assert.rejects(ids({ from: 0, to: 10 }), /does not match its checksum/);
  } finally {
    cleanup(dir);
  }
});
