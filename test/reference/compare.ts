import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { BUILTIN_FILTERS as FILTERS } from '../../filters/builtins.js';
import type { AnyFilterDef, Verdict } from '../../core/filter.js';
import type { Doc } from '../../core/types.js';
import { c4Filter } from './c4.js';
import { finewebFilter } from './fineweb.js';
import { gopherQualityFilter } from './gopher-quality.js';
import { gopherRepetitionFilter } from './gopher-repetition.js';

/**
 * Runs the four peer presets as they were (test/reference/) and as they are (filters/) over the same docs and
 * reports every difference in verdict, reason, features (values, and key order, which the features column
 * keeps) and cleaned text. Used by scripts/compare-filters.ts over whole corpora and by a node test over a
 * real-text subset.
 */
export const REFERENCE: Record<string, AnyFilterDef> = {
  gopher_repetition: gopherRepetitionFilter,
  gopher_quality: gopherQualityFilter,
  c4: c4Filter,
  fineweb: finewebFilter,
};

const PERMISSIVE_REPETITION = {
  max_dup_line_frac: 2,
  max_dup_para_frac: 2,
  max_dup_line_char_frac: 2,
  max_dup_para_char_frac: 2,
  max_top_ngram_char_frac: { 2: 2, 3: 2, 4: 2 },
  max_dup_ngram_char_frac: { 5: 2, 6: 2, 7: 2, 8: 2, 9: 2, 10: 2 },
};

/**
 * Each filter with its defaults, with thresholds no doc reaches (so every feature is computed), and with
 * options that take the code down its other paths.
 */
export const OPTION_SETS: Record<string, Record<string, unknown>[]> = {
  gopher_repetition: [
    {},
    PERMISSIVE_REPETITION,
    // n = 1, a gap in n, and both families at one n.
    { ...PERMISSIVE_REPETITION, max_top_ngram_char_frac: { 1: 2, 3: 2, 12: 2 }, max_dup_ngram_char_frac: { 1: 2, 3: 2, 7: 2, 20: 2 } },
    { max_top_ngram_char_frac: { 2: 0.05, 3: 0.04 }, max_dup_ngram_char_frac: { 5: 0.01, 6: 0.01 } },
  ],
  gopher_quality: [
    {},
    { min_doc_words: 0, max_doc_words: 1e9, min_avg_word_length: 0, max_avg_word_length: 1e9, max_symbol_word_ratio: 1e9, max_bullet_lines_ratio: 2, max_ellipsis_lines_ratio: 2, min_alpha_words_ratio: -1, min_stop_words: -1 },
    // Stop words whose matching depends on Unicode lowercasing, and one longer than any English stop word.
    { min_doc_words: 0, min_stop_words: 1e9, stop_words: ['the', 'i̇', 'k', 'ß', 'straße', 'és', 'и', 'de', 'la', 'que', 'of', 'international'] },
  ],
  c4: [
    {},
    { min_sentences: 0 },
    { min_sentences: 0, remove_citations: false, require_terminal_punct: false, drop_curly_bracket: false, drop_lorem_ipsum: false },
    { min_sentences: 0, min_words_per_line: 1, max_word_length: 12, drop_javascript_lines: false, drop_policy_lines: false },
  ],
  fineweb: [
    {},
    { min_line_punct_ratio: -1, max_short_line_ratio: 2, max_dup_line_char_ratio: 2, max_newline_word_ratio: 1e9 },
    { short_line_length: 0, min_line_punct_ratio: -1, max_short_line_ratio: 2, max_dup_line_char_ratio: 2, max_newline_word_ratio: 1e9 },
  ],
};

/** The references are of the whitespace-word filters: datatrove's words are checked against datatrove itself. */
const WHITESPACE = { words: 'whitespace' };

/** Chains run as the filter stage runs them: the first drop wins and C4's cleaned text goes on. */
export const CHAINS: string[][] = [
  ['gopher_repetition', 'gopher_quality', 'c4', 'fineweb'],
  ['c4', 'gopher_repetition', 'gopher_quality', 'fineweb'],
  ['fineweb', 'gopher_quality', 'gopher_repetition'],
];

type Decide = (doc: Doc) => Verdict;

export interface Mismatch {
  doc: string;
  filter: string;
  options: string;
  what: string;
}

export interface CompareResult {
  docs: number;
  checks: number;
  mismatches: Mismatch[];
  /** `<filter>/<reason>` → how many docs the reference dropped for it under default options, to show coverage. */
  reasons: Record<string, number>;
}

const docOf = (d: Doc): Doc => ({ id: d.id, text: d.text, source: d.source, meta: {} });

/** Equal as the stage and the features column see them: same keys in the same order, same values. */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** What differs between two verdicts, or undefined. */
export function verdictDiff(want: Verdict, got: Verdict): string | undefined {
  if (want.keep !== got.keep) return `keep ${want.keep} vs ${got.keep}`;
  if (!want.keep && !got.keep && want.reason !== got.reason) return `reason ${want.reason} vs ${got.reason}`;
  if (!sameValue(want.features, got.features)) return `features ${JSON.stringify(want.features)} vs ${JSON.stringify(got.features)}`;
  const wt = want.keep ? want.text : undefined;
  const gt = got.keep ? got.text : undefined;
  if (wt !== gt) return `text differs (${wt?.length} vs ${gt?.length} chars)`;
  return undefined;
}

function chainDecide(defs: Record<string, AnyFilterDef>, names: string[], options: Record<string, unknown> = {}): (doc: Doc) => { verdict: Verdict; text: string; features: Record<string, unknown> } {
  const filters = names.map((n) => ({ name: n, decide: defs[n].create(defs[n].options.parse(options)) as Decide }));
  return (doc) => {
    const features: Record<string, unknown> = {};
    for (const { name, decide } of filters) {
      const v = decide(doc);
      if (v.features) features[name] = v.features;
      if (!v.keep) return { verdict: { keep: false, reason: `${name}/${v.reason}` }, text: doc.text, features };
      if (v.text !== undefined && v.text !== doc.text) doc.text = v.text;
    }
    return { verdict: { keep: true }, text: doc.text, features };
  };
}

/** Compares every filter under every option set, and every chain, over `docs`. */
export function compareAll(docs: Iterable<Doc>, maxMismatches = 20): CompareResult {
  const singles: { filter: string; options: string; want: Decide; got: Decide }[] = [];
  for (const [name, sets] of Object.entries(OPTION_SETS)) {
    for (const o of sets) {
      const want = REFERENCE[name].create(REFERENCE[name].options.parse(o)) as Decide;
      const got = FILTERS[name].create(FILTERS[name].options.parse({ ...o, ...WHITESPACE })) as Decide;
      singles.push({ filter: name, options: JSON.stringify(o), want, got });
    }
  }
  const chains = CHAINS.map((names) => ({ name: names.join('+'), want: chainDecide(REFERENCE, names), got: chainDecide(FILTERS, names, WHITESPACE) }));
  const res: CompareResult = { docs: 0, checks: 0, mismatches: [], reasons: {} };
  const miss = (m: Mismatch) => {
    if (res.mismatches.length < maxMismatches) res.mismatches.push(m);
  };
  for (const d of docs) {
    res.docs++;
    for (const s of singles) {
      const want = s.want(docOf(d));
      const got = s.got(docOf(d));
      res.checks++;
      if (s.options === '{}' && !want.keep) res.reasons[`${s.filter}/${want.reason}`] = (res.reasons[`${s.filter}/${want.reason}`] ?? 0) + 1;
      const diff = verdictDiff(want, got);
      if (diff) miss({ doc: d.id, filter: s.filter, options: s.options, what: diff });
    }
    for (const c of chains) {
      // Right after the single filters saw the same text: anything cached per text is reused here, and must be
      // dropped once C4 rewrites the text.
      const want = c.want(docOf(d));
      const got = c.got(docOf(d));
      res.checks++;
      const diff = verdictDiff(want.verdict, got.verdict) ?? (want.text !== got.text ? 'final text differs' : undefined) ?? (sameValue(want.features, got.features) ? undefined : `features ${JSON.stringify(want.features)} vs ${JSON.stringify(got.features)}`);
      if (diff) miss({ doc: d.id, filter: c.name, options: 'chain', what: diff });
    }
  }
  return res;
}

/** Every doc of a gzip JSON-lines file under /work/shared/data/dev (its README describes them). */
export function readDevFile(path: string, limit = Infinity): Doc[] {
  const docs: Doc[] = [];
  for (const line of gunzipSync(readFileSync(path)).toString('utf8').split('\n')) {
    if (docs.length >= limit) break;
    if (!line) continue;
    const r = JSON.parse(line) as { id: string; text: string; source?: string };
    docs.push({ id: String(r.id), text: r.text, source: r.source ?? 'dev', meta: {} });
  }
  return docs;
}

/** Texts at the edges of the new code: empty, blank, huge words, odd Unicode, repeats at the very end. */
export function edgeDocs(): Doc[] {
  const prose = 'The river ran fast after the storm, and the village watched it rise with care.\nFarmers moved their animals to the higher fields that have been dry for weeks.\n';
  const texts: string[] = [
    '',
    ' ',
    '\n',
    '\n\n\n',
    ' \t\r\n\u00a0\u2028\u2029\ufeff\u0085\u180e\u200b',
    'word',
    'a a',
    '# ... …. .... ..... ###',
    '{',
    'x'.repeat(1001) + ' is a very long word. It is. Yes it is. Indeed. Really. True.',
    'y'.repeat(70_000),
    (prose + 'z'.repeat(5000) + '.\n').repeat(3),
    prose + 'one two three four five six seven eight nine ten eleven. '.repeat(2),
    prose + 'the end of the text the end of the text the end of the text',
    prose + 'a b c d e f g h i j a b c d e f g h i j',
    'a b a b a b a b a b a b a b',
    Array.from({ length: 5000 }, (_, i) => `w${i % 997}`).join(' '),
    Array.from({ length: 20_000 }, (_, i) => `u${i}`).join(' ') + '.',
    Array.from({ length: 3000 }, (_, i) => `line ${i % 50} of the page.`).join('\n'),
    Array.from({ length: 300 }, (_, i) => `para ${i % 7} here.\n\n`).join(''),
    '• one\n• two\n* three\n- four\n– five\n— six\n‣ seven\n⁃ eight\n▪ nine\n  ● ten...\nend…',
    'Enable JavaScript. JAVASCRIPT is off. Java[1]script here. This site uses cookies. We USE COOKIES. Terms of Use. Privacy Policy. Cookie Policy.',
    // U+212A KELVIN SIGN lower-cases to ASCII k; U+0130 to i + U+0307.
    'This site uses coo\u212Aies now. Java\u0130script. \u0130\u0130 the THE The tHe İstanbul. \u212A.',
    'java[edit]script is cited[12]. [citation needed] More text [EDIT] here [Citation Needed]. [1][2][3].',
    'lorem ipsum dolor. Lorem Ipsum. LOREM IPSUM.',
    'Émile était là. Ça va? Straße und STRASSE. ΣΊΣΥΦΟΣ ΟΔΟΣ. Über alles!',
    '😀 😀 😀 smile 😀. 𝐁𝐨𝐥𝐝 𝐭𝐞𝐱𝐭 𝐡𝐞𝐫𝐞. 𠀀𠀁 CJK ext B. \ud800 lone \udc00 surrogates \ud83d.',
    '"Quoted." \'Single.\' “Curly.” ‘Single curly.’ Done! Really? Yes… 終わり。 本当！ 何？',
    'end?! really?!? wow!!! ok... fine.\tyes.\u00a0no.\u2028maybe.',
    'a\r\nb\r\n\r\nc\r\n',
    '  leading and trailing  \n  spaces on lines  \n\n  and paragraphs  ',
    '--- *** ### ---\n--- *** ### ---\n--- *** ### ---',
    '!!! ??? ... ,,, ;;; ::: \'\'\' """ ((( ))) [[[ ]]] $$$ +++ ===',
    '"Hello," she said. «Bonjour», dit-il. ¿Qué? ¡Olé! (parenthetical) [bracketed] <angled>',
  ];
  return texts.map((text, i) => ({ id: `edge-${i}`, text, source: 'edge', meta: {} }));
}
