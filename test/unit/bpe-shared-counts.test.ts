import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteBpe } from '../../tokenizers/bpe/engine.js';
import { HOT_MAX_LENGTH } from '../../tokenizers/bpe/hot-cache.js';
import { SharedPieceCounts } from '../../tokenizers/bpe/shared-counts.js';
import { tiktokenSpec } from '../../tokenizers/bpe/tiktoken.js';
import { devTexts, needsShared } from '../helpers.js';
import { answersOfThreads, distModule } from '../shared-threads.js';

const noDev = needsShared('data/dev');

test('a piece is found only as it was published, and its first count stays', () => {
  const table = new SharedPieceCounts(SharedPieceCounts.create());
  const pieces = Array.from({ length: HOT_MAX_LENGTH }, (_, i) => 'ab\u00e9cd\ud83defghijk'.slice(0, i + 1));
  for (const p of pieces) assert.equal(table.get(p), -1, p);
  pieces.forEach((p, i) => table.add(p, i));
  pieces.forEach((p, i) => assert.equal(table.get(p), i, p));
  table.add(pieces[2], 99);
  assert.equal(table.get(pieces[2]), 2, 'a published slot is never rewritten');
  for (const other of ['abd', 'ab\u00e8', 'ab\u00e9c\u0000', 'AB\u00e9', ' ab\u00e9', '\ud83d']) assert.equal(table.get(other), -1, other);
  assert.throws(() => new SharedPieceCounts(new SharedArrayBuffer(64)), /expected/);
});

for (const encoding of ['gpt2', 'cl100k_base']) {
  test(`${encoding}: counts with a shared table equal counts without one and encode()'s length, on shared/data/dev`, { skip: noDev }, () => {
    const texts = [...devTexts('reuters21578.jsonl.gz', 1500), ...devTexts('multilingual_core_registers.jsonl.gz', 500)];
    const spec = tiktokenSpec(encoding);
    const own = new ByteBpe(spec);
    const buffer = SharedPieceCounts.create();
    // The first fills the table; the second finds most pieces there.
    const filling = new ByteBpe(spec, new SharedPieceCounts(buffer));
    const reading = new ByteBpe(spec, new SharedPieceCounts(buffer));
    const wrong: number[] = [];
    texts.forEach((t, i) => {
      const n = own.count(t);
      if (filling.count(t) !== n) wrong.push(i);
    });
    texts.forEach((t, i) => reading.count(t) !== own.count(t) && wrong.push(i));
    for (const t of texts.slice(0, 200)) assert.equal(reading.count(t), new ByteBpe(spec).encode(t).length);
    assert.deepEqual(wrong, []);
  });
}

/** Worker threads that load gpt2 through loadTokenizer (one shared table between them) and count the texts in their own order. */
const THREAD = `
const { workerData, parentPort } = require('node:worker_threads');
Promise.all([import(workerData.sharedOnce), import(workerData.tokenizer)]).then(async ([{ joinSharedOnce }, { loadTokenizer }]) => {
  joinSharedOnce(workerData.port);
  const tok = await loadTokenizer('gpt2');
  const counts = new Array(workerData.texts.length);
  const order = workerData.texts.map((_, i) => i);
  if (workerData.reverse) order.reverse();
  for (const i of order) counts[i] = tok.count(workerData.texts[i]);
  parentPort.postMessage(counts);
});
`;

test('worker threads filling one table at once count every text as a lone thread does', { skip: noDev }, async () => {
  const texts = [...devTexts('reuters21578.jsonl.gz', 1000), ...devTexts('multilingual_core_registers.jsonl.gz', 300)];
  const own = new ByteBpe(tiktokenSpec('gpt2'));
  const expected = texts.map((t) => own.count(t));
  const results = await answersOfThreads<number[]>(THREAD, [false, true, false].map((reverse) => ({ sharedOnce: distModule('core/shared-once.js'), tokenizer: distModule('tokenizers/tokenizer.js'), texts, reverse })));
  for (const counts of results) assert.deepEqual(counts, expected);
});
