import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFastTextModel } from '../../fasttext/model-reader.js';
import { FastTextPredictor } from '../../fasttext/predictor.js';
import { SharedTokenRows } from '../../fasttext/shared-token-rows.js';
import { lid176, lid176Path } from '../../langid/lid176.js';
import { predictLanguage } from '../../stages/langid/task.js';
import { devTexts, needsShared } from '../helpers.js';
import { answersOfThreads, distModule } from '../shared-threads.js';

const noDev = needsShared('data/dev');

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const rowsOf = (t: SharedTokenRows, rec: number) => [...t.arena.subarray(t.rowsFrom(rec), t.rowsTo(rec))];

test('a token is found only as it was published, its first rows stay, and a full arena takes no more', () => {
  const table = new SharedTokenRows(SharedTokenRows.create());
  const words = ['the', 'The', 'théâtre', 'a', '', 'x'.repeat(64)];
  words.forEach((w, i) => {
    const b = bytes(w);
    assert.equal(table.find(b, 0, b.length, 7 * i), -1);
    table.add(b, 0, b.length, 7 * i, [i, i + 1, i + 2]);
  });
  words.forEach((w, i) => {
    const b = bytes(` ${w} `);
    const rec = table.find(b, 1, b.length - 1, 7 * i);
    assert.deepEqual(rowsOf(table, rec), [i, i + 1, i + 2], w);
  });
  const the = bytes('the');
  table.add(the, 0, 3, 0, [42]);
  assert.deepEqual(rowsOf(table, table.find(the, 0, 3, 0)), [0, 1, 2]);
  assert.equal(table.find(bytes('thx'), 0, 3, 0), -1, 'same hash and length, other bytes');
  // Each of these takes 1/200 of the arena: the last ones find it full.
  const big = new Array<number>(10_480).fill(5);
  for (let i = 0; i < 210; i++) table.add(bytes(`w${i}`), 0, `w${i}`.length, 1000 + i, big);
  assert.notEqual(table.find(bytes('w0'), 0, 2, 1000), -1);
  assert.equal(table.find(bytes('w209'), 0, 4, 1209), -1);
  assert.deepEqual(rowsOf(table, table.find(the, 0, 3, 0)), [0, 1, 2], 'earlier tokens stay');
});

test('lid.176 predicts the same with a shared token table, filling or reading it, on shared/data/dev', { skip: noDev }, () => {
  const texts = [...devTexts('reuters21578.jsonl.gz', 800), ...devTexts('multilingual_core_registers.jsonl.gz', 600, 5)];
  const model = loadFastTextModel(lid176Path(), { shared: true });
  const buffer = SharedTokenRows.create();
  const filling = new FastTextPredictor(model, { sharedRows: new SharedTokenRows(buffer) });
  const reading = new FastTextPredictor(model, { sharedRows: new SharedTokenRows(buffer) });
  const own = lid176();
  const expected = texts.map((t) => predictLanguage(own, t));
  assert.deepEqual(texts.map((t) => predictLanguage(filling, t)), expected);
  assert.deepEqual(texts.map((t) => predictLanguage(reading, t)), expected);
  assert.ok(new Set(expected.map((e) => e.label)).size >= 10, 'the texts are in many languages');
});

/** Worker threads that take lid.176 as the langid stage does (one model and token table between them) and predict the texts in their own order. */
const THREAD = `
const { workerData, parentPort } = require('node:worker_threads');
Promise.all([import(workerData.sharedOnce), import(workerData.lid176), import(workerData.langid)]).then(async ([{ joinSharedOnce }, { sharedLid176 }, { predictLanguage }]) => {
  joinSharedOnce(workerData.port);
  const model = await sharedLid176();
  const out = new Array(workerData.texts.length);
  const order = workerData.texts.map((_, i) => i);
  if (workerData.reverse) order.reverse();
  for (const i of order) out[i] = predictLanguage(model, workerData.texts[i]);
  parentPort.postMessage(out);
});
`;

test('worker threads sharing lid.176 and its token table predict as a lone thread does', { skip: noDev }, async () => {
  const texts = [...devTexts('reuters21578.jsonl.gz', 500), ...devTexts('multilingual_core_registers.jsonl.gz', 400, 7)];
  const own = lid176();
  const expected = texts.map((t) => predictLanguage(own, t));
  const results = await answersOfThreads<unknown[]>(THREAD, [false, true, false].map((reverse) => ({ sharedOnce: distModule('core/shared-once.js'), lid176: distModule('langid/lid176.js'), langid: distModule('stages/langid/task.js'), texts, reverse })));
  for (const out of results) assert.deepEqual(out, expected);
});
