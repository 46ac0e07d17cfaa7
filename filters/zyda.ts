import { z } from 'zod';
import type { Doc } from '../stages/types.js';
import type { FilterDef, RuleVerdict, Verdict } from './filter.js';
import { codePoints, countMatches, PY_DIGIT, PY_SPACE, PY_WORD, pyRegex } from './python-regex.js';
import { zydaTransform } from './zyda-transform.js';
import { CURSED, PROFANITY, SEXUAL, ZH_PORNSIGNALS } from './zyda-wordlists.js';

/**
 * Zyda's quality filter (zyda-spec §2 and §4), rule for rule: features on the original text, lengths and
 * fractions against the transformed text, ten rules in order, strict comparisons (a value exactly at a
 * threshold passes). The original text is the one before the `transform` stage changed it, else doc.text.
 */
const options = z.strictObject({
  min_length: z.number().default(100),
  min_mean_word_length: z.number().default(3),
  max_mean_word_length: z.number().default(12),
  max_fraction_non_alphanumeric: z.number().default(0.3),
  max_fraction_numerical: z.number().default(0.2),
  max_repeated_substrings: z.number().default(50),
  max_xml: z.number().default(10),
  max_xml_declaration: z.number().default(1),
  max_lorem_ipsum: z.number().default(2),
  max_https_fraction: z.number().default(0.002),
  max_lt_fraction: z.number().default(0.03),
  max_json_key_fraction: z.number().default(0.002),
  max_www_fraction: z.number().default(0.01),
  max_zh_pornsignals: z.number().default(1),
  max_sexual_words: z.number().default(10),
  max_sexual_fraction: z.number().default(0.001),
  max_profanity_fraction: z.number().default(0.0025),
  max_cursed_fraction: z.number().default(0.01),
});
export type ZydaOptions = z.output<typeof options>;

/** A word list as one alternation to test for any hit (the usual answer is none), and its entries to count. */
interface WordList {
  any: RegExp;
  entries: RegExp[];
}

function wordList(entries: string[]): WordList {
  const compiled = entries.map(pyRegex);
  return { any: new RegExp(compiled.map((r) => `(?:${r.source})`).join('|'), 'u'), entries: compiled };
}

function countList(list: WordList, text: string): number {
  if (!list.any.test(text)) return 0;
  let n = 0;
  for (const re of list.entries) n += countMatches(re, text);
  return n;
}

const LISTS = {
  'profanity_word_list.json': wordList(PROFANITY),
  'sexual_word_list.json': wordList(SEXUAL),
  'zh_pornsignals.json': wordList(ZH_PORNSIGNALS),
  'cursed_substrings.json': wordList(CURSED),
};

/** The eight pattern_counts regexes, as Zyda wrote them: `<?xml version=` means an optional `<`, `www.` any char. */
const PATTERNS: Record<string, RegExp> = {
  xml: pyRegex('xml'),
  '<?xml version=': pyRegex('<?xml version='),
  'lorem ipsum': pyRegex('lorem ipsum'),
  'https://': pyRegex('https://'),
  '<': pyRegex('<'),
  '>': pyRegex('>'),
  '":': pyRegex('":'),
  'www.': pyRegex('www.'),
};

const WORD_SEPARATOR = new RegExp(`[${PY_SPACE}\\-/\\\\.]`, 'gu');
const NON_ALPHANUMERIC = new RegExp(`[^${PY_WORD}${PY_SPACE}]`, 'gu');
const DIGIT = new RegExp(`[${PY_DIGIT}]`, 'gu');
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

export function zydaFeatures(original: string, transformed: string): ZydaFeatures {
  const len = codePoints(original);
  // Splitting on each single separator makes separators + 1 pieces holding every other code point.
  const separators = countMatches(WORD_SEPARATOR, original);
  const pattern_counts: Record<string, number> = {};
  for (const [k, re] of Object.entries(PATTERNS)) pattern_counts[k] = countMatches(re, original);
  const word_list_counts: Record<string, number> = {};
  for (const [k, list] of Object.entries(LISTS)) word_list_counts[k] = countList(list, original);
  return {
    mean_word_length: len === 0 ? 0 : (len - separators) / (separators + 1),
    fraction_non_alphanumeric: len === 0 ? 0 : countMatches(NON_ALPHANUMERIC, original) / len,
    fraction_numerical: len === 0 ? 0 : countMatches(DIGIT, original) / len,
    pii_count: countMatches(EMAIL, original) + countMatches(IPV4, original),
    pattern_counts,
    word_list_counts,
    substrings_counts: countMatches(REPEATED, transformed),
    transformed_length: codePoints(transformed),
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

export function zydaDecide(f: ZydaFeatures, o: ZydaOptions): string | undefined {
  return RULES.find((r) => fires(r, f, o))?.reason;
}

/** Every rule's verdict, not only the first that fires: what `zyda explain` prints. */
export function zydaExplain(f: ZydaFeatures, o: ZydaOptions): RuleVerdict[] {
  return RULES.map((r) => ({ rule: r.reason, value: r.value(f), threshold: `${r.option.startsWith('min_') ? '≥' : '≤'} ${o[r.option]}`, passed: !fires(r, f, o) }));
}

export const zydaFilter: FilterDef<ZydaOptions> = {
  name: 'zyda',
  options,
  create(opts) {
    return (doc: Doc): Verdict => {
      // The transform is idempotent, so this is right whether or not the transform stage ran first.
      const original = doc.original ?? doc.text;
      const transformed = zydaTransform(doc.text);
      const features = zydaFeatures(original, transformed);
      const reason = zydaDecide(features, opts);
      return reason ? { keep: false, reason, features } : { keep: true, features };
    };
  },
  explain(opts) {
    return (doc) => zydaExplain(zydaFeatures(doc.original ?? doc.text, zydaTransform(doc.text)), opts);
  },
};
