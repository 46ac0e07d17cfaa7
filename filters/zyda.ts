import type { ZydaOptions } from './zyda-options.js';
import type { Doc } from '../core/types.js';
import type { FilterTask, RuleVerdict, Verdict } from '../core/filter.js';
import { type Literal, LiteralCounter } from './literal-scan.js';
import { countMatches, PY_WORD, pyRegex } from './python-regex.js';
import { CURSED_LITERALS, countCursedCommas, countCursedEnd, countStridesByCodePoint, StrideCounter } from './zyda-cursed.js';
import { scanChars } from './zyda-scan.js';
import { ZYDA_TRANSFORM_STEPS, zydaTransform } from './zyda-transform.js';
import { PROFANITY, SEXUAL, ZH_PORNSIGNALS } from './zyda-wordlists.js';

/**
 * Zyda's quality filter (zyda-spec §2 and §4), rule for rule: features on the original text, lengths and
 * fractions against the transformed text, ten rules in order, strict comparisons (a value exactly at a
 * threshold passes). The original text is the one before the `transform` stage changed it, else doc.text.
 */

/** What the literal counter sums: the four word lists, then the patterns without metacharacters. */
const GROUPS = ['profanity_word_list.json', 'sexual_word_list.json', 'zh_pornsignals.json', 'cursed_substrings.json', 'xml', '<?xml version=', 'lorem ipsum', 'https://', '":'];
const group = (key: string) => GROUPS.indexOf(key);

/**
 * Every plain-text entry of the four word lists and of the patterns, counted in one pass. Each entry is counted
 * on its own (duplicated entries twice), then summed into its group.
 */
const LITERALS: Literal[] = [
  ...PROFANITY.map((text) => ({ text, group: group('profanity_word_list.json') })),
  ...SEXUAL.map((text) => ({ text, group: group('sexual_word_list.json') })),
  ...ZH_PORNSIGNALS.map((text) => ({ text, group: group('zh_pornsignals.json') })),
  ...CURSED_LITERALS.map((text) => ({ text, group: group('cursed_substrings.json') })),
  // `<?xml version=` is an optional `<` then `xml version=`, which cannot overlap itself, so its matches are
  // the occurrences of `xml version=`.
  ...['xml', '<?xml version=', 'lorem ipsum', 'https://', '":'].map((p) => ({ text: p.replace(/^<\?/, ''), group: group(p) })),
];

/** `www.`: "www" then any character but a newline (Python's `.`), counted left to right without overlap. */
function countWww(text: string): number {
  let n = 0;
  for (let i = text.indexOf('www'); i !== -1; ) {
    if (i + 3 < text.length && text.charCodeAt(i + 3) !== 10) {
      n++;
      // The `.` may take a surrogate pair, but no "www" starts at its low half, so resuming at i + 4 is the same.
      i = text.indexOf('www', i + 4);
    } else i = text.indexOf('www', i + 1);
  }
  return n;
}

const MIN_STEP_RUN = Math.min(...ZYDA_TRANSFORM_STEPS.map(([, n]) => n));

const REPEATED = new RegExp(`([${PY_WORD}])\\1{6,}`, 'gu');
const EMAIL = pyRegex('\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Z|a-z]{2,}\\b');
const IPV4 = pyRegex('\\b(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\\b');

export type ZydaFeatures = {
  mean_word_length: number;
  fraction_non_alphanumeric: number;
  fraction_numerical: number;
  pii_count: number;
  pattern_counts: Record<string, number>;
  word_list_counts: Record<string, number>;
  substrings_counts: number;
  transformed_length: number;
};

/** Zyda's features of a document; `transformed` left out means the transform of `original`. */
export type ZydaFeatureCounter = (original: string, transformed?: string) => ZydaFeatures;

/**
 * A ZydaFeatureCounter with counters of its own: they hold the state of the text being scanned, so no two
 * filter instances share them. The transform is only computed when the scan found a run long enough for some
 * step to collapse (every step needs 10 or more).
 */
export function zydaFeatureCounter(): ZydaFeatureCounter {
  const literals = new LiteralCounter(LITERALS);
  const strides = new StrideCounter();
  // For the transformed text's scan, which only needs its length and longest run.
  const noStrides = new StrideCounter();
  const noLiterals = new LiteralCounter([]);
  return (original, transformed) => {
    const c = scanChars(original, strides, literals);
    transformed ??= c.longestRun >= MIN_STEP_RUN ? zydaTransform(original) : original;
    const len = c.codePoints;
    const sums = literals.sums;
    const pattern_counts: Record<string, number> = {
      xml: sums[4],
      '<?xml version=': sums[5],
      'lorem ipsum': sums[6],
      'https://': sums[7],
      // Single-character patterns: their matches are the characters themselves.
      '<': c.lt,
      '>': c.gt,
      '":': sums[8],
      'www.': countWww(original),
    };
    const word_list_counts: Record<string, number> = {
      'profanity_word_list.json': sums[0],
      'sexual_word_list.json': sums[1],
      'zh_pornsignals.json': sums[2],
      'cursed_substrings.json': sums[3] + countCursedEnd(original) + (c.codePoints === original.length ? strides.count : countStridesByCodePoint(original)) + countCursedCommas(original),
    };
    // A run of 7 identical word chars needs a run of 7 identical chars; scan the transformed text only then.
    const t = transformed === original ? c : scanChars(transformed, noStrides, noLiterals);
    return {
      // Splitting on each single separator makes separators + 1 pieces holding every other code point.
      mean_word_length: len === 0 ? 0 : (len - c.separators) / (c.separators + 1),
      fraction_non_alphanumeric: len === 0 ? 0 : c.nonAlphanumeric / len,
      fraction_numerical: len === 0 ? 0 : c.digits / len,
      // An email needs an `@`, a dotted quad a `d.d{1,3}.d`: the scan saw whether there is one.
      pii_count: (c.hasAt ? countMatches(EMAIL, original) : 0) + (c.dottedDigits ? countMatches(IPV4, original) : 0),
      pattern_counts,
      word_list_counts,
      substrings_counts: t.longestRun >= 7 ? countMatches(REPEATED, transformed) : 0,
      transformed_length: t.codePoints,
    };
  };
}

interface Rule {
  reason: string;
  /** The option holding the threshold; "min_" options drop below it, "max_" options above it. */
  option: keyof ZydaOptions;
  value(f: ZydaFeatures): number;
}

const L = (f: ZydaFeatures) => f.transformed_length;

/** The ten rules (some in parts), in Zyda's order: the first that fires names the reason. */
const RULES: Rule[] = [
  { reason: 'too_short', option: 'min_length', value: L },
  { reason: 'mean_word_length_low', option: 'min_mean_word_length', value: (f) => f.mean_word_length },
  { reason: 'mean_word_length_high', option: 'max_mean_word_length', value: (f) => f.mean_word_length },
  { reason: 'non_alphanumeric', option: 'max_fraction_non_alphanumeric', value: (f) => f.fraction_non_alphanumeric },
  { reason: 'numerical', option: 'max_fraction_numerical', value: (f) => f.fraction_numerical },
  { reason: 'repeated_substrings', option: 'max_repeated_substrings', value: (f) => f.substrings_counts },
  { reason: 'xml', option: 'max_xml', value: (f) => f.pattern_counts.xml },
  { reason: 'xml_declaration', option: 'max_xml_declaration', value: (f) => f.pattern_counts['<?xml version='] },
  { reason: 'lorem_ipsum', option: 'max_lorem_ipsum', value: (f) => f.pattern_counts['lorem ipsum'] },
  { reason: 'https_fraction', option: 'max_https_fraction', value: (f) => f.pattern_counts['https://'] / L(f) },
  { reason: 'lt_fraction', option: 'max_lt_fraction', value: (f) => f.pattern_counts['<'] / L(f) },
  { reason: 'json_key_fraction', option: 'max_json_key_fraction', value: (f) => f.pattern_counts['":'] / L(f) },
  { reason: 'www_fraction', option: 'max_www_fraction', value: (f) => f.pattern_counts['www.'] / L(f) },
  { reason: 'zh_pornsignals', option: 'max_zh_pornsignals', value: (f) => f.word_list_counts['zh_pornsignals.json'] },
  { reason: 'sexual_words', option: 'max_sexual_words', value: (f) => f.word_list_counts['sexual_word_list.json'] },
  { reason: 'sexual_fraction', option: 'max_sexual_fraction', value: (f) => f.word_list_counts['sexual_word_list.json'] / L(f) },
  { reason: 'profanity_fraction', option: 'max_profanity_fraction', value: (f) => f.word_list_counts['profanity_word_list.json'] / L(f) },
  { reason: 'cursed_fraction', option: 'max_cursed_fraction', value: (f) => f.word_list_counts['cursed_substrings.json'] / L(f) },
];

/** Strict comparisons, as Zyda's: a value exactly at its threshold passes. */
function fires(rule: Rule, f: ZydaFeatures, o: ZydaOptions): boolean {
  const v = rule.value(f);
  return rule.option.startsWith('min_') ? v < o[rule.option] : v > o[rule.option];
}

/** The rules with their thresholds looked up once, for deciding many documents under one set of options. */
function compileRules(o: ZydaOptions): (f: ZydaFeatures) => string | undefined {
  const rules = RULES.map((r) => ({ reason: r.reason, value: r.value, threshold: o[r.option], min: r.option.startsWith('min_') }));
  return (f) => {
    for (const r of rules) {
      const v = r.value(f);
      if (r.min ? v < r.threshold : v > r.threshold) return r.reason;
    }
    return undefined;
  };
}

export function zydaDecide(f: ZydaFeatures, o: ZydaOptions): string | undefined {
  return RULES.find((r) => fires(r, f, o))?.reason;
}

/** Every rule's verdict, not only the first that fires: what `zyda explain` prints. */
export function zydaExplain(f: ZydaFeatures, o: ZydaOptions): RuleVerdict[] {
  return RULES.map((r) => ({ rule: r.reason, value: r.value(f), threshold: `${r.option.startsWith('min_') ? '≥' : '≤'} ${o[r.option]}`, passed: !fires(r, f, o) }));
}

export const zydaTask: FilterTask<ZydaOptions> = {
  // Each rule's value, named after its option without min_/max_ (min_length → length).
  rules: (o) =>
    RULES.map((r) => ({
      rule: r.reason,
      feature: r.option.replace(/^(min|max)_/, ''),
      bound: o[r.option] as number,
      min: r.option.startsWith('min_'),
      value: (f) => r.value(f as unknown as ZydaFeatures),
    })),
  create(opts) {
    const decide = compileRules(opts);
    const featuresOf = zydaFeatureCounter();
    return (doc: Doc): Verdict => {
      // The transform is idempotent, so this is right whether or not the transform stage ran first.
      const features = doc.original === undefined ? featuresOf(doc.text) : featuresOf(doc.original, zydaTransform(doc.text));
      const reason = decide(features);
      return reason ? { keep: false, reason, features } : { keep: true, features };
    };
  },
  explain(opts) {
    const featuresOf = zydaFeatureCounter();
    return (doc) => zydaExplain(featuresOf(doc.original ?? doc.text, zydaTransform(doc.text)), opts);
  },
};
