import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adversarialTexts } from '../zyda-adversarial.js';
import { needsShared, ROOT, SHARED } from '../helpers.js';
import { disagreement } from '../zyda-oracle.js';
import { realTexts } from '../zyda-real-texts.js';

/**
 * The Zyda filter and transform must agree, to the bit, with the frozen copy of the code they started from
 * (test/reference/zyda/): verdicts, reasons, features and transformed text. `node dist/bench/zyda-compare.js`
 * runs the same comparison over every bench and dev doc; this keeps a subset of it in the suite.
 */
function check(name: string, texts: string[]): void {
  const bad: string[] = [];
  for (const t of texts) {
    const why = disagreement(t);
    if (why !== undefined) bad.push(`${why}\n  text ${JSON.stringify(t.slice(0, 160))}`);
  }
  assert.equal(bad.length, 0, `${name}: ${bad.length} of ${texts.length} disagree; first: ${bad.slice(0, 3).join('\n')}`);
}

test('the adversarial set: every list entry, anchor, stride, transform step and rule edge', () => {
  const texts = adversarialTexts(2000);
  assert.ok(texts.length > 6000);
  check('adversarial', texts);
});

test('real text: the sample corpus, a bench subset and every 10th dev doc', async (t) => {
  const noDev = needsShared('data/dev');
  if (noDev) t.diagnostic(`${noDev}: compared without the dev docs`);
  const corpora = await realTexts(ROOT, SHARED, { bench: 2000, every: 10 });
  if (corpora.size === 0) return t.skip('no real text here');
  for (const [name, texts] of corpora) check(name, texts);
});
