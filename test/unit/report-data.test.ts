import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StageSpec } from '../../core/config-schema.js';
import type { Doc } from '../../core/types.js';
import { binOf, binRange } from '../../runtime/report/bins.js';
import '../../stages/builtins.js';
import { BUILTIN_FILTERS } from '../../filters/builtins.js';
import { filterRules, mergeReports, thresholdsOf } from '../../runtime/report/data.js';
import { ReportGatherer } from '../../runtime/report/gather.js';
import { esc } from '../../runtime/report/html.js';

test('every value falls in the bin whose range holds it; zero has its own', () => {
  assert.equal(binOf(0), 0);
  assert.equal(binOf(-3), 0);
  for (const v of [1e-9, 0.001, 0.2, 0.5, 1, 2, 3, 100, 12345, 2 ** 40 + 1]) {
    const { lo, hi } = binRange(binOf(v));
    assert.ok(lo <= v && v < hi, `${v} in [${lo}, ${hi})`);
  }
  assert.ok(binOf(1) < binOf(1.1) && binOf(1.1) < binOf(2));
});

const STAGES: StageSpec[] = [{ kind: 'filter', options: { toy: { max_ratio: 0.5 } } }];

function docs(n: number): Doc[] {
  return Array.from({ length: n }, (_, i) => ({ id: `s/f#${i}`, text: 'word '.repeat(i % 17), source: 's', meta: {}, features: { toy: { ratio: (i % 10) / 10 } } }));
}

/** One task's gathering: the toy filter drops ratio > 0.5, the rest are kept. */
function gather(batch: Doc[]) {
  const g = new ReportGatherer(STAGES);
  const kept: Doc[] = [];
  for (const d of batch) {
    if ((d.features!.toy as { ratio: number }).ratio > 0.5) g.dropped(d, 'filter/toy/ratio');
    else kept.push(d);
  }
  g.kept(kept);
  return { source: 's', data: g.result() };
}

test('the merged data is the same bytes for any split of the docs into tasks, in any order', () => {
  const all = docs(200);
  const one = JSON.stringify(mergeReports(['s'], [gather(all)]));
  const parts = [all.slice(0, 7), all.slice(7, 120), all.slice(120)].map(gather);
  assert.equal(JSON.stringify(mergeReports(['s'], parts)), one);
  assert.equal(JSON.stringify(mergeReports(['s'], [...parts].reverse())), one);
  const data = mergeReports(['s'], parts);
  assert.equal(data.sources.s.examples['filter/toy/ratio'].length, 5);
  assert.equal(data.sources.s.kept_examples.length, 5);
  // ratio 0.5 passes and is within 10% below the threshold (20 docs); 0.6 is dropped but not within 10% above.
  assert.deepEqual(data.sources.s.features.toy.ratio.thresholds, [{ option: 'max_ratio', bound: 'max', value: 0.5, tighter: 20, looser: 0 }]);
});

test('HTML escaping leaves no markup', () => {
  assert.equal(esc(`<script>alert("x")</script> & 'y'`), '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
});

/** A filter stage's options as a plan holds them: each filter's parsed by its schema. */
const filterStages = (name: string, options: Record<string, unknown>) => [{ kind: 'filter', options: { [name]: BUILTIN_FILTERS[name].options.parse(options) } }] as unknown as StageSpec[];

test('a filter that declares its rules has them drawn with the options the run gave it', async () => {
  const stages = filterStages('gopher_quality', { min_doc_words: 60 });
  const found = thresholdsOf(stages, 'gopher_quality', await filterRules(stages));
  assert.deepEqual(found.find((t) => t.option === 'too_few_words'), { option: 'too_few_words', feature: 'words', value: 60, bound: 'min' });
  assert.ok(found.some((t) => t.feature === 'alpha_words_ratio' && t.bound === 'min'));
  // Without rules of its own (as the toy filter above), a filter's min_/max_ options are its thresholds.
});

test("a rule's value derived from the filter's features is binned under the rule's feature, with its threshold", async () => {
  const stages = filterStages('zyda', { max_https_fraction: 0.01 });
  const https = thresholdsOf(stages, 'zyda', await filterRules(stages)).find((t) => t.feature === 'https_fraction');
  assert.equal(https?.value, 0.01);
  assert.equal(https?.bound, 'max');
  const measured = { transformed_length: 1000, pattern_counts: { 'https://': 5 } } as Record<string, unknown>;
  assert.equal(https?.derive?.(measured), 0.005);
});
