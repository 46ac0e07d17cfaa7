import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sampleDocs } from '../../bench/docs.js';
import { compareAll, edgeDocs, readDevFile, type CompareResult } from '../reference/compare.js';
import { needsShared, ROOT, SHARED } from '../helpers.js';

/**
 * The Gopher, C4 and FineWeb presets decide exactly as their reference copies (test/reference/, plain and slow
 * implementations of the same rules) do: verdict, reason, every feature and C4's cleaned text, alone under
 * several option sets and in chains. scripts/compare-filters.ts runs the same comparison over whole corpora.
 */
const DEV = join(SHARED, 'data', 'dev');
const BENCH = join(ROOT, 'bench', 'data', 'small');

function assertSame(r: CompareResult): void {
  assert.deepEqual(r.mismatches, [], `${r.mismatches.length} differences (first ones shown)`);
}

test('presets equal their reference on edge-case texts', () => {
  const r = compareAll(edgeDocs());
  assertSame(r);
  assert.ok(Object.keys(r.reasons).length >= 10, 'the edge texts reach many drop reasons');
});

test('presets equal their reference on real web pages and newswire', { skip: needsShared('data/dev') }, () => {
  const docs = [...readDevFile(join(DEV, 'multilingual_core_registers.jsonl.gz'), 400), ...readDevFile(join(DEV, 'reuters21578.jsonl.gz'), 400)];
  const r = compareAll(docs);
  assertSame(r);
  // The subset exercises drops of every filter, not only keeps.
  for (const f of ['gopher_repetition', 'gopher_quality', 'c4', 'fineweb']) assert.ok(Object.keys(r.reasons).some((k) => k.startsWith(`${f}/`)), `${f} drops some doc`);
});

test('presets equal their reference on the bench corpus', { skip: !existsSync(BENCH) && 'bench/data is absent' }, async () => {
  assertSame(compareAll(await sampleDocs(BENCH, 400)));
});
