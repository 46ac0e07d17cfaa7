import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Verdict } from '../../core/filter.js';
import type { Doc } from '../../core/types.js';
import { BUILTIN_FILTERS as FILTERS } from '../../filters/builtins.js';
import { cleanup, duck, needsShared, ROOT, SHARED, shardGlob, tempDir, zyda } from '../helpers.js';

/**
 * The presets named after datatrove's filters decide as datatrove does (FineWeb's settings), checked against
 * test/fixtures/datatrove-filters.json.gz (made by make_datatrove_filter_fixtures.py from datatrove's own
 * filters on the dev documents): per filter, each on the original text, and as FineWeb chains them.
 */

type Column = (number | string | null)[];
interface FixtureSet {
  ids: string[];
  [filter: string]: Record<string, Column> | string[];
}
const FIXTURE = join(ROOT, 'test', 'fixtures', 'datatrove-filters.json.gz');
const fixture = JSON.parse(gunzipSync(readFileSync(FIXTURE)).toString('utf8')) as { sets: Record<string, FixtureSet> };
const DEV = join(SHARED, 'data', 'dev');
const noDev = needsShared('data/dev');
/** The issue's target, per filter and for the chain, on decisions and on docs whose features all agree. */
const TARGET = 0.995;

function texts(set: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of gunzipSync(readFileSync(join(DEV, `${set}.jsonl.gz`))).toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    const d = JSON.parse(line) as { id: string; text: string };
    out.set(d.id, d.text);
  }
  return out;
}

/** datatrove's drop reasons under zyda's names. */
const REASONS: Record<string, string> = {
  duplicated_5_n_grams: 'dup_5_gram',
  duplicated_6_n_grams: 'dup_6_gram',
  duplicated_7_n_grams: 'dup_7_gram',
  duplicated_8_n_grams: 'dup_8_gram',
  duplicated_9_n_grams: 'dup_9_gram',
  duplicated_10_n_grams: 'dup_10_gram',
  gopher_short_doc: 'too_few_words',
  gopher_long_doc: 'too_many_words',
  gopher_below_avg_threshold: 'avg_word_length_low',
  gopher_above_avg_threshold: 'avg_word_length_high',
  gopher_too_many_hashes: 'symbol_word_ratio',
  gopher_too_many_ellipsis: 'symbol_word_ratio',
  gopher_too_many_bullets: 'bullet_lines',
  gopher_too_many_end_ellipsis: 'ellipsis_lines',
  gopher_below_alpha_threshold: 'non_alpha_words',
  gopher_enough_stop_words: 'few_stop_words',
  char_dup_ratio: 'dup_line_char_ratio',
  list_ratio: 'newline_word_ratio',
};
const zydaReason = (d: string) => REASONS[d] ?? d;
const decisionOf = (v: Verdict) => (v.keep ? 'keep' : v.reason);

/** A fixture row's features under zyda's names, as zyda derives them from datatrove's counts. */
type Row = (name: string) => number;
const ratio = (a: number, b: number) => (b ? a / b : 0);
const EXPECTED: Record<string, (r: Row) => Record<string, number>> = {
  gopher_repetition: (r) => {
    const f: Record<string, number> = {
      dup_para_frac: ratio(r('dup_paras'), r('paras')),
      dup_para_char_frac: ratio(r('dup_para_chars'), r('chars')),
      dup_line_frac: ratio(r('dup_lines'), r('lines')),
      dup_line_char_frac: ratio(r('dup_line_chars'), r('chars')),
    };
    for (const n of [2, 3, 4]) f[`top_${n}_gram_char_frac`] = ratio(r(`top_${n}`), r('chars'));
    for (const n of [5, 6, 7, 8, 9, 10]) f[`dup_${n}_gram_char_frac`] = ratio(r(`dup_${n}`), r('chars'));
    return f;
  },
  gopher_quality: (r) => ({
    words: r('non_symbol_words'),
    avg_word_length: ratio(r('non_symbol_chars'), r('non_symbol_words')),
    symbol_word_ratio: ratio(Math.max(r('hashes'), r('ellipses')), r('words')),
    bullet_lines_ratio: ratio(r('bullet_lines'), r('lines')),
    ellipsis_lines_ratio: ratio(r('ellipsis_lines'), r('lines')),
    alpha_words_ratio: ratio(r('alpha_words'), r('words')),
    stop_words: r('stop_words'),
  }),
  c4: (r) => ({ sentences: r('sentences'), lines_kept: r('kept_lines'), lines_removed: r('lines') - r('kept_lines') }),
  fineweb: (r) => ({
    line_punct_ratio: ratio(r('punct_lines'), r('lines')),
    short_line_ratio: ratio(r('short_lines'), r('lines')),
    dup_line_char_ratio: ratio(r('dup_line_chars'), r('chars')),
    newline_word_ratio: ratio(r('newlines'), r('words')),
  }),
};
EXPECTED.c4_terminal = EXPECTED.c4;
EXPECTED.fineweb_chain = EXPECTED.fineweb;
/** Features that do not depend on the word tokenizer: these must be equal on every doc. */
const WORDLESS = new Set(['dup_para_frac', 'dup_para_char_frac', 'dup_line_frac', 'dup_line_char_frac', 'bullet_lines_ratio', 'ellipsis_lines_ratio', 'line_punct_ratio', 'short_line_ratio', 'dup_line_char_ratio']);
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

const filter = (name: string, opts: Record<string, unknown> = {}) => FILTERS[name].create(FILTERS[name].options.parse(opts));
const asDoc = (id: string, text: string): Doc => ({ id, text, source: 'dev', meta: {} });

interface Tally {
  docs: number;
  decisions: number;
  keepDrop: number;
  featureDocs: number;
  featureAgree: number;
  wordless: string[];
  differing: string[];
}

function tally(): Tally {
  return { docs: 0, decisions: 0, keepDrop: 0, featureDocs: 0, featureAgree: 0, wordless: [], differing: [] };
}

/** Compares one verdict with the fixture's row k of `name`. */
function compare(t: Tally, set: FixtureSet, name: string, k: number, v: Verdict, digest?: string): void {
  const cols = set[name] as Record<string, Column>;
  const expected = zydaReason(cols.decision[k] as string);
  const got = decisionOf(v);
  t.docs++;
  if (got === expected) t.decisions++;
  else if (t.differing.length < 8) t.differing.push(`${set.ids[k]}: zyda ${got}, datatrove ${expected}`);
  if ((got === 'keep') === (expected === 'keep')) t.keepDrop++;
  if (digest !== undefined && v.keep && expected === 'keep' && cols.digest[k] !== digest) t.wordless.push(`${set.ids[k]}: C4's cleaned text differs`);
  if (!v.features || cols[Object.keys(cols).find((c) => c !== 'decision' && c !== 'digest')!][k] === null) return;
  const want = EXPECTED[name]((c) => cols[c][k] as number);
  let agree = true;
  let compared = 0;
  for (const [f, value] of Object.entries(v.features)) {
    if (!(f in want)) continue;
    compared++;
    if (close(value as number, want[f])) continue;
    agree = false;
    if (WORDLESS.has(f)) t.wordless.push(`${set.ids[k]}: ${name}.${f} = ${value}, datatrove ${want[f]}`);
  }
  if (compared === 0) return;
  t.featureDocs++;
  if (agree) t.featureAgree++;
}

const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(2) : '-');

for (const [setName, set] of Object.entries(fixture.sets)) {
  test(`datatrove presets decide as datatrove on ${setName} (${set.ids.length} docs)`, { skip: noDev }, () => {
    const text = texts(setName);
    const filters: Record<string, (doc: Doc) => Verdict> = {
      gopher_repetition: filter('gopher_repetition'),
      gopher_quality: filter('gopher_quality'),
      c4: filter('c4', { require_terminal_punct: false }),
      c4_terminal: filter('c4'),
      fineweb: filter('fineweb'),
    };
    const tallies: Record<string, Tally> = Object.fromEntries([...Object.keys(filters), 'fineweb_chain', 'chain'].map((n) => [n, tally()]));
    const chainCols = set.chain as Record<string, Column>;
    set.ids.forEach((id, k) => {
      const t = text.get(id);
      assert.ok(t !== undefined, `${id} is in the fixture but not in ${setName}`);
      const verdicts: Record<string, Verdict> = {};
      for (const [name, run] of Object.entries(filters)) {
        const v = (verdicts[name] = run(asDoc(id, t)));
        const cleaned = name.startsWith('c4') && v.keep ? createHash('sha256').update(v.text ?? t).digest('hex').slice(0, 16) : undefined;
        compare(tallies[name], set, name, k, v, cleaned);
      }
      // The chain in FineWeb's order: fineweb reads the text C4 kept.
      let chain = 'keep';
      for (const name of ['gopher_repetition', 'gopher_quality', 'c4']) {
        const v = verdicts[name];
        if (!v.keep) {
          chain = `${name}:${v.reason}`;
          break;
        }
      }
      if (chain === 'keep') {
        const c4 = verdicts.c4 as { text?: string };
        const v = filters.fineweb(asDoc(id, c4.text ?? t));
        if ((set.fineweb_chain as Record<string, Column>).decision[k] !== null) compare(tallies.fineweb_chain, set, 'fineweb_chain', k, v);
        if (!v.keep) chain = `fineweb:${v.reason}`;
      }
      const expected = chainCols.decision[k] as string;
      const [stage, reason] = expected === 'keep' ? ['', 'keep'] : expected.split(':');
      const want = expected === 'keep' ? 'keep' : `${stage}:${zydaReason(reason)}`;
      const c = tallies.chain;
      c.docs++;
      if (chain === want) c.decisions++;
      else if (c.differing.length < 8) c.differing.push(`${id}: zyda ${chain}, datatrove ${want}`);
      if ((chain === 'keep') === (want === 'keep')) c.keepDrop++;
    });
    const lines = [`agreement with datatrove on ${setName} (${set.ids.length} docs): filter | decision (keep or same reason) | keep/drop | docs with all features equal`];
    for (const [name, t] of Object.entries(tallies)) {
      lines.push(`  ${name.padEnd(18)} ${pct(t.decisions, t.docs).padStart(6)}%  ${pct(t.keepDrop, t.docs).padStart(6)}%  ${t.featureDocs ? `${pct(t.featureAgree, t.featureDocs).padStart(6)}% of ${t.featureDocs}` : ''}`);
      for (const d of t.differing) lines.push(`      ${d}`);
    }
    console.log(lines.join('\n'));
    for (const [name, t] of Object.entries(tallies)) {
      assert.deepEqual(t.wordless.slice(0, 5), [], `${name}: figures that do not depend on words differ`);
      assert.ok(t.decisions / t.docs >= TARGET, `${name}: ${pct(t.decisions, t.docs)}% of decisions agree, below ${100 * TARGET}%`);
      if (t.featureDocs) assert.ok(t.featureAgree / t.featureDocs >= TARGET, `${name}: features agree on ${pct(t.featureAgree, t.featureDocs)}% of docs`);
    }
  });
}

test('the CLI runs the FineWeb chain as datatrove decides it (configs/fineweb-like.yaml stages, 400 reuters docs)', { skip: noDev }, async () => {
  const set = fixture.sets.reuters21578;
  const text = texts('reuters21578');
  const ids = set.ids.slice(0, 400);
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'docs.jsonl'), ids.map((id) => JSON.stringify({ id, text: text.get(id) })).join('\n') + '\n');
    const config = readFileSync(join(ROOT, 'configs', 'fineweb-like.yaml'), 'utf8');
    const stages = config.split('\n').filter((l) => /^\s+- filter: \{(gopher|c4|fineweb)/.test(l));
    assert.deepEqual(stages.map((l) => /\{(\w+)/.exec(l)![1]), ['gopher_repetition', 'gopher_quality', 'c4', 'fineweb'], 'FineWeb order');
    writeFileSync(join(dir, 'p.yaml'), `output: out\nkeep_rejected: rejected\nsources: [{name: dev, paths: docs.jsonl, id_field: id}]\nstages:\n${stages.join('\n')}\n`);
    const r = zyda(['run', join(dir, 'p.yaml')], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const kept = (await duck<{ id: string }>(`SELECT id FROM read_parquet('${shardGlob(join(dir, 'out'))}') ORDER BY id`)).map((row) => String(row.id));
    const chain = (set.chain as Record<string, Column>).decision;
    const want = ids.filter((_, k) => chain[k] === 'keep').sort();
    const differ = new Set([...kept.filter((id) => !want.includes(id)), ...want.filter((id) => !kept.includes(id))]);
    console.log(`CLI chain on ${ids.length} reuters docs: zyda keeps ${kept.length}, datatrove ${want.length}, ${differ.size} differ`);
    assert.ok(differ.size <= ids.length * (1 - TARGET), `${differ.size} docs decided otherwise: ${[...differ].slice(0, 5).join(', ')}`);
    assert.ok(want.length > 100 && want.length < ids.length - 50, 'the chain keeps some and drops some');
  } finally {
    cleanup(dir);
  }
});
