import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_FILTERS } from '../../filters/builtins.js';
import { zydaDecide, zydaExplain, zydaFeatureCounter, type ZydaFeatures } from '../../filters/zyda.js';
import { zydaTransform } from '../../filters/zyda-transform.js';
import { pyToJs, codePoints } from '../../filters/python-regex.js';

const zydaFilter = BUILTIN_FILTERS.zyda;

const OPTS = zydaFilter.options.parse({});
const featuresOf = zydaFeatureCounter();
const feats = (text: string) => featuresOf(text, zydaTransform(text));
const decide = (text: string) => zydaDecide(feats(text), OPTS);

/**
 * A clean document of exactly `n` code points: 5-letter words, so every rule passes. (4-letter words would
 * not: Zyda's cursed " .... .... …" entry is nine groups of a space and any 4 characters.)
 */
function clean(n: number): string {
  return 'abcde '.repeat(Math.ceil(n / 6)).slice(0, n - 1) + 'e';
}

/** Features of a clean, long document, with some values overridden: to probe one rule at its edge. */
function withFeatures(over: Partial<ZydaFeatures> & { L?: number; patterns?: Record<string, number>; lists?: Record<string, number> }): ZydaFeatures {
  const f = feats(clean(1000));
  return {
    ...f,
    ...over,
    transformed_length: over.L ?? f.transformed_length,
    pattern_counts: { ...f.pattern_counts, ...over.patterns },
    word_list_counts: { ...f.word_list_counts, ...over.lists },
  };
}

test('a clean document passes every rule', () => {
  assert.equal(decide(clean(1000)), undefined);
  assert.ok(zydaExplain(feats(clean(1000)), OPTS).every((v) => v.passed));
});

test('length: 99 code points drop, 100 pass; lengths count code points, after the transform', () => {
  assert.equal(decide(clean(99)), 'too_short');
  assert.equal(decide(clean(100)), undefined);
  // 50 astral emoji are 100 UTF-16 units but 50 code points.
  assert.equal(codePoints('😀'.repeat(50)), 50);
  // 60 dashes collapse to one: the transformed text is what is measured.
  assert.equal(decide(clean(95) + '-'.repeat(60)), 'too_short');
});

test('each threshold: just under and exactly at pass, just over drops (strict comparisons)', () => {
  const cases: [string, (v: number) => Partial<Parameters<typeof withFeatures>[0]>, number, 'min' | 'max'][] = [
    ['mean_word_length_low', (v) => ({ mean_word_length: v }), 3, 'min'],
    ['mean_word_length_high', (v) => ({ mean_word_length: v }), 12, 'max'],
    ['non_alphanumeric', (v) => ({ fraction_non_alphanumeric: v }), 0.3, 'max'],
    ['numerical', (v) => ({ fraction_numerical: v }), 0.2, 'max'],
    ['repeated_substrings', (v) => ({ substrings_counts: v }), 50, 'max'],
    ['xml', (v) => ({ patterns: { xml: v } }), 10, 'max'],
    ['xml_declaration', (v) => ({ patterns: { '<?xml version=': v } }), 1, 'max'],
    ['lorem_ipsum', (v) => ({ patterns: { 'lorem ipsum': v } }), 2, 'max'],
    ['https_fraction', (v) => ({ L: 1000, patterns: { 'https://': v * 1000 } }), 0.002, 'max'],
    ['lt_fraction', (v) => ({ L: 1000, patterns: { '<': v * 1000 } }), 0.03, 'max'],
    ['json_key_fraction', (v) => ({ L: 1000, patterns: { '":': v * 1000 } }), 0.002, 'max'],
    ['www_fraction', (v) => ({ L: 1000, patterns: { 'www.': v * 1000 } }), 0.01, 'max'],
    ['zh_pornsignals', (v) => ({ lists: { 'zh_pornsignals.json': v } }), 1, 'max'],
    ['sexual_words', (v) => ({ L: 1e6, lists: { 'sexual_word_list.json': v } }), 10, 'max'],
    ['sexual_fraction', (v) => ({ L: 1000, lists: { 'sexual_word_list.json': v * 1000 } }), 0.001, 'max'],
    ['profanity_fraction', (v) => ({ L: 10000, lists: { 'profanity_word_list.json': v * 10000 } }), 0.0025, 'max'],
    ['cursed_fraction', (v) => ({ L: 1000, lists: { 'cursed_substrings.json': v * 1000 } }), 0.01, 'max'],
  ];
  for (const [reason, set, t, kind] of cases) {
    const eps = kind === 'max' ? (Number.isInteger(t) ? 1 : t / 2) : 0.01;
    const inside = kind === 'max' ? t - eps : t + eps;
    const outside = kind === 'max' ? t + eps : t - eps;
    assert.equal(zydaDecide(withFeatures(set(inside)), OPTS), undefined, `${reason}: inside`);
    assert.equal(zydaDecide(withFeatures(set(t)), OPTS), undefined, `${reason}: exactly at ${t}`);
    assert.equal(zydaDecide(withFeatures(set(outside)), OPTS), reason, `${reason}: outside`);
  }
});

test('features on real text at the edges', () => {
  // mean word length: separators are single chars, so adjacent ones make empty words.
  assert.equal(feats('abc abc').mean_word_length, 3);
  assert.equal(feats('abc  abc').mean_word_length, 2, 'two spaces make an empty word');
  assert.equal(feats('a-b/c\\d.e').mean_word_length, 1);
  assert.equal(feats('').mean_word_length, 0);
  // https fraction divides by the transformed length.
  const tail = ' https://a https://';
  assert.equal(codePoints(clean(1000 - tail.length) + tail), 1000);
  assert.equal(decide(clean(1000 - tail.length) + tail), undefined, '2 in 1000 is exactly at 0.002');
  assert.equal(decide(clean(999 - tail.length) + tail), 'https_fraction', '2 in 999 is over');
});

test('Python regex semantics: \\s, \\w, \\d, ".", "$" and code points', () => {
  // Python \s includes U+001C-001F and U+0085 and excludes U+FEFF.
  assert.equal(feats('ab\u001ccd').mean_word_length, 2);
  assert.equal(feats('ab\u0085cd').mean_word_length, 2);
  assert.equal(feats('ab\ufeffcd').mean_word_length, 5);
  // \w is Unicode: CJK and accented letters are alphanumeric, so not counted as symbols.
  assert.equal(feats('日本語éß').fraction_non_alphanumeric, 0);
  assert.equal(feats('a!b?').fraction_non_alphanumeric, 0.5);
  // \d is every script's decimal digits: Arabic-Indic digits count.
  assert.equal(feats('١٢ab').fraction_numerical, 0.5);
  // `.` in Python excludes only \n: "www" + \r counts, "www" + \n does not.
  assert.equal(feats('www\r www\n').pattern_counts['www.'], 1);
  // `$` matches at the end and before one final newline.
  assert.equal(new RegExp(pyToJs(' nr\\.$'), 'u').test('x nr.\n'), true);
  assert.equal(new RegExp(pyToJs(' nr\\.$'), 'u').test('x nr.\n\n'), false);
  assert.equal(feats('table |  \n').word_list_counts['cursed_substrings.json'], 1, '`\\|\\s*$` at the end');
  // `(\w)\1{6,}`: runs of 7 or more of one word char, counted once per run.
  assert.equal(feats('aaaaaaa bbbbbb ccccccccccccccc').substrings_counts, 2);
  // The nine-group cursed entries count code points: an emoji is one `[^ ]` or `.` (re.findall gives 1, 1, 0, 1).
  const cursed = (t: string) => feats(t).word_list_counts['cursed_substrings.json'];
  assert.equal(cursed(' 😀 a b c d e f g h'), 1);
  assert.equal(cursed(' a😀c abc abc abc abc abc abc abc abc'), 1);
  assert.equal(cursed(' 😀x a b c d e f g h'), 0);
  assert.equal(cursed(' 😀😀😀 abc abc abc abc abc abc abc abc'), 1);
});

test("the word lists' quirks are kept", () => {
  const counts = (t: string) => feats(t).word_list_counts;
  assert.equal(counts('see 4438x now')['zh_pornsignals.json'], 2, '"4438x" is listed twice');
  assert.equal(decide(clean(500) + ' 4438x'), 'zh_pornsignals', 'so one mention drops a doc');
  assert.equal(counts('a fuck fuck b')['profanity_word_list.json'], 1, 'surrounding spaces are consumed: non-overlapping');
  assert.equal(counts(' the and but not for you are was can had')['cursed_substrings.json'], 1, 'nine 3-letter words match " ... ... …"');
  assert.equal(counts(' a b c d e f g h i')['cursed_substrings.json'], 1, 'nine single chars match " [^ ] [^ ] …"');
  assert.equal(counts('Download the Episode on Facebook')['cursed_substrings.json'], 3);
  assert.equal(counts('download the episode')['cursed_substrings.json'], 1, 'case-sensitive: "ownload" only');
  assert.equal(feats('xml version=1 <?xml version=2').pattern_counts['<?xml version='], 2, '`<?` makes the < optional');
});

test('the transform collapses long runs of the 13 characters and nothing else', () => {
  assert.equal(zydaTransform('a' + '-'.repeat(10) + 'b'), 'a-b');
  assert.equal(zydaTransform('a' + '-'.repeat(9) + 'b'), 'a' + '-'.repeat(9) + 'b');
  assert.equal(zydaTransform('x' + ' '.repeat(40) + 'y' + ' '.repeat(39)), 'x y' + ' '.repeat(39));
  assert.equal(zydaTransform('\t'.repeat(20) + '\t'.repeat(19).replace(/^/, 'z')), '\tz' + '\t'.repeat(19));
  assert.equal(zydaTransform('\u00a0'.repeat(10)), '\u00a0');
  assert.equal(zydaTransform('\r\n'.repeat(30)), '\r\n'.repeat(30), 'mixed sequences stay');
  assert.equal(zydaTransform('!'.repeat(50)), '!'.repeat(50), 'only the 13 characters');
});

/** The features computed the slow, obvious way: one Python-semantics regex per feature and per list entry. */
async function naiveFeatures(original: string, transformed: string) {
  const { PY_SPACE: S, PY_WORD: W, PY_DIGIT: D, pyRegex, countMatches: count } = await import('../../filters/python-regex.js');
  const lists = await import('../../filters/zyda-wordlists.js');
  const len = codePoints(original);
  const sep = count(new RegExp(`[${S}\\-/\\\\.]`, 'gu'), original);
  const sum = (l: string[]) => l.reduce((n, e) => n + count(pyRegex(e), original), 0);
  return {
    mean_word_length: len === 0 ? 0 : (len - sep) / (sep + 1),
    fraction_non_alphanumeric: len === 0 ? 0 : count(new RegExp(`[^${W}${S}]`, 'gu'), original) / len,
    fraction_numerical: len === 0 ? 0 : count(new RegExp(`[${D}]`, 'gu'), original) / len,
    words: [sum(lists.PROFANITY), sum(lists.SEXUAL), sum(lists.ZH_PORNSIGNALS), sum(lists.CURSED)],
    substrings_counts: count(new RegExp(`([${W}])\\1{6,}`, 'gu'), transformed),
    transformed_length: codePoints(transformed),
  };
}

test('the fast feature scan equals the obvious regex-per-feature computation', async (t) => {
  const texts = [
    'ab\u001ccd 日本語 ١٢ 😀😀😀😀😀😀😀 aaaaaaaa', ' the and but not for you are was can had and', ' a b c d e f g h i j', 'x, ab,c ab,,c ab,c ab,c end',
    'table |  \n', 'Москва г. \n', 'ten kg кг.', 'site nr.', 'see 4438x and 亚洲人成视频在线播放 twice', 'Download Episode 3 mp3 Vol. 2 Ep. 4 шт. №5 \uFFFD\uFFFD\uFFFD',
    ' .... .... .... .... .... .... .... .... ....\n .... ....', ' fuck  fuck shit ', 'x\n'.repeat(40), '',
  ];
  const { readFileSync, existsSync } = await import('node:fs');
  const { gunzipSync } = await import('node:zlib');
  const { join } = await import('node:path');
  const { needsShared, SHARED } = await import('../helpers.js');
  const noDev = needsShared('data/dev');
  if (noDev) t.diagnostic(`${noDev}: compared on the built-in texts only`);
  for (const f of ['reuters21578.jsonl.gz', 'multilingual_core_registers.jsonl.gz']) {
    const p = join(SHARED, 'data', 'dev', f);
    if (!existsSync(p)) continue;
    gunzipSync(readFileSync(p)).toString('utf8').split('\n').filter(Boolean).forEach((l, i) => i % 15 === 0 && texts.push((JSON.parse(l) as { text: string }).text));
  }
  for (const t of texts) {
    const fast = feats(t);
    const slow = await naiveFeatures(t, zydaTransform(t));
    const w = fast.word_list_counts;
    assert.deepEqual(
      { ...slow, words: [w['profanity_word_list.json'], w['sexual_word_list.json'], w['zh_pornsignals.json'], w['cursed_substrings.json']] },
      { mean_word_length: fast.mean_word_length, fraction_non_alphanumeric: fast.fraction_non_alphanumeric, fraction_numerical: fast.fraction_numerical, words: slow.words, substrings_counts: fast.substrings_counts, transformed_length: fast.transformed_length },
      JSON.stringify(t.slice(0, 60)),
    );
  }
});
