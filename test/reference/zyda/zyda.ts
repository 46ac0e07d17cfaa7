import { z } from 'zod';
import type { Doc } from '../../../core/types.js';
import type { FilterDef, RuleVerdict, Verdict } from '../../../core/filter.js';
import { scanChars } from './char-scan.js';
import { countMatches, PY_SPACE, PY_WORD, pyRegex } from '../../../filters/python-regex.js';
import { zydaTransform } from './zyda-transform.js';
import { CURSED, PROFANITY, SEXUAL, ZH_PORNSIGNALS } from '../../../filters/zyda-wordlists.js';

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

const isCjk = (w: string) => /[\u3400-\u9fff]/u.test(w);

const LISTS = {
  profanity: wordList(PROFANITY),
  sexual: wordList(SEXUAL),
  // The CJK half of the zh list can only match a text that holds CJK; the scan tells us for free.
  zhAscii: wordList(ZH_PORNSIGNALS.filter((w) => !isCjk(w))),
  zhCjk: wordList(ZH_PORNSIGNALS.filter(isCjk)),
};

/** Cursed entries that are plain text, counted together; the regex ones get their own cheaper checks. */
const CURSED_LITERAL = wordList(CURSED.filter((e) => !/[\\$\[.]/.test(e) || e === 'Vol\\.' || e === ' Ep\\.' || e === ' шт\\.'));
/** Entries anchored at the end: only the text's tail can match them. */
const CURSED_END = CURSED.filter((e) => e.endsWith('$')).map(pyRegex);
/** Nine groups of a space and k characters: matched by a scan, not a backtracking regex. */
const CURSED_STRIDES: { entry: string; width: number; any: boolean }[] = [
  { entry: ' ... ... ... ... ... ... ... ... ...', width: 3, any: true },
  { entry: ' .... .... .... .... .... .... .... .... ....', width: 4, any: true },
  { entry: ' [^ ] [^ ] [^ ] [^ ] [^ ] [^ ] [^ ] [^ ] [^ ]', width: 1, any: false },
];
const CURSED_COMMAS = pyRegex(', ..,,? ..,,? ..,,? ..,,?');
const PY_SPACE_CHAR = new RegExp(`[${PY_SPACE}]`, 'u');

function countCursed(text: string): number {
  let n = countList(CURSED_LITERAL, text);
  // `$` needs the match to end the text (or precede a final newline): look at the tail past trailing whitespace.
  let end = text.length;
  while (end > 0 && PY_SPACE_CHAR.test(text[end - 1])) end--;
  const tail = text.slice(Math.max(0, end - 16));
  for (const re of CURSED_END) n += countMatches(re, tail);
  n += countStrides(text);
  if (text.includes(', ')) n += countMatches(CURSED_COMMAS, text);
  return n;
}

/**
 * The three stride entries as Python counts them: each by its own findall, in code points. (The frozen copy
 * counted UTF-16 units, which differs from Python on texts with characters beyond the BMP; fixed here and in
 * filters/ together.)
 */
const STRIDE_RES = CURSED_STRIDES.map((s) => pyRegex(s.entry));

function countStrides(text: string): number {
  let n = 0;
  for (const re of STRIDE_RES) n += countMatches(re, text);
  return n;
}

/** A cheap necessary condition per pattern: most texts contain no "xml", "<" or "www". */
const PATTERN_NEEDS: Record<string, (t: string) => boolean> = {
  xml: (t) => t.includes('xml'),
  '<?xml version=': (t) => t.includes('xml version='),
  'lorem ipsum': (t) => t.includes('lorem ipsum'),
  'https://': (t) => t.includes('https://'),
  '<': (t) => t.includes('<'),
  '>': (t) => t.includes('>'),
  '":': (t) => t.includes('":'),
  'www.': (t) => t.includes('www'),
};

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
  const c = scanChars(original);
  const len = c.codePoints;
  const pattern_counts: Record<string, number> = {};
  for (const [k, re] of Object.entries(PATTERNS)) pattern_counts[k] = PATTERN_NEEDS[k](original) ? countMatches(re, original) : 0;
  const word_list_counts: Record<string, number> = {
    'profanity_word_list.json': countList(LISTS.profanity, original),
    'sexual_word_list.json': countList(LISTS.sexual, original),
    'zh_pornsignals.json': countList(LISTS.zhAscii, original) + (c.hasCjk ? countList(LISTS.zhCjk, original) : 0),
    'cursed_substrings.json': countCursed(original),
  };
  // A run of 7 identical word chars needs a run of 7 identical chars; scan the transformed text only then.
  const t = transformed === original ? c : scanChars(transformed);
  return {
    // Splitting on each single separator makes separators + 1 pieces holding every other code point.
    mean_word_length: len === 0 ? 0 : (len - c.separators) / (c.separators + 1),
    fraction_non_alphanumeric: len === 0 ? 0 : c.nonAlphanumeric / len,
    fraction_numerical: len === 0 ? 0 : c.digits / len,
    pii_count: c.hasAt ? countMatches(EMAIL, original) + countMatches(IPV4, original) : countMatches(IPV4, original),
    pattern_counts,
    word_list_counts,
    substrings_counts: t.longestRun >= 7 ? countMatches(REPEATED, transformed) : 0,
    transformed_length: t.codePoints,
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
