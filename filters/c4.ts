import { readFileSync } from 'node:fs';
import type { C4Options } from './c4-options.js';
import type { FilterTask, Verdict } from '../core/filter.js';
import { isSpace } from './char-classes.js';
import { joinLines, layoutOf, type TextLayout } from './text-layout.js';
import { isTerminal } from './text-units.js';
import { c4Lines, c4Text } from './datatrove/c4.js';
import { thresholdVerdicts } from './threshold-rules.js';

/**
 * C4's cleanup (Raffel et al. 2020): drop lines that are not sentences (no terminal punctuation, fewer than 3
 * words, a word over 1000 chars, "javascript", cookie/policy boilerplate), strip citation markers, then drop
 * the doc on "lorem ipsum", a curly bracket, or fewer than 5 sentences left. The kept doc is the cleaned text.
 * Bad words are optional: C4 used the LDNOOBW list, which is not bundled; give its path.
 */

const POLICY = ['terms of use', 'privacy policy', 'cookie policy', 'uses cookies', 'use of cookies', 'use cookies'];
const LOREM = 'lorem ipsum';

/**
 * A piece of each phrase (C4's phrases, 'lorem ipsum'), starting with a rarer letter: the native search skips
 * from one occurrence of a piece's first unit to the next, so the pieces are found much quicker than the
 * phrases on ordinary text, and a text that holds none of them holds none of the phrases.
 */
const PIECE: Record<string, string> = {
  javascript: 'javascript',
  'terms of use': 'f use',
  'privacy policy': 'vacy',
  'cookie policy': 'kie',
  'uses cookies': 'kie',
  'use of cookies': 'kie',
  'use cookies': 'kie',
  [LOREM]: 'psum',
};
if (Object.entries(PIECE).some(([phrase, piece]) => !phrase.includes(piece))) throw new Error('a piece must be part of its phrase');

/** Whether a lower-cased doc holds one of `phrases`: searched for their pieces first, each piece once. */
function phraseFinder(phrases: string[]): (lower: string) => boolean {
  const pieces = [...new Set(phrases.map((p) => PIECE[p]))];
  return (lower) => pieces.some((p) => lower.includes(p)) && phrases.some((p) => lower.includes(p));
}
const CITATION = /\[\d+\]|\[edit\]|\[citation needed\]/gi;

/** Whether a sentence-ending mark (`[.!?]`) is at this UTF-16 unit. */
const isSentenceMark = (c: number) => c === 0x2e || c === 0x21 || c === 0x3f;

/** What C4 looks at in one trimmed line. */
interface LineFigures {
  words: number;
  longestWord: number;
  /**
   * Matches of `/[.!?]+(?=\s|$)/gu` the line adds to the cleaned text: runs of marks followed by whitespace or
   * ending the line (in the cleaned text a `\n` or the end follows a kept line, so the run counts there too).
   */
  sentences: number;
}

/** LineFigures of a line given as a string (one that lost a citation), in one pass over it. */
function lineFigures(s: string, out: LineFigures): void {
  const end = s.length;
  let words = 0;
  let longestWord = 0;
  let sentences = 0;
  let wordStart = -1;
  let inMarks = false;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (isSpace(c)) {
      if (wordStart >= 0) {
        if (i - wordStart > longestWord) longestWord = i - wordStart;
        wordStart = -1;
      }
      if (inMarks) sentences++;
      inMarks = false;
    } else {
      if (wordStart < 0) {
        words++;
        wordStart = i;
      }
      inMarks = isSentenceMark(c);
    }
  }
  if (wordStart >= 0 && end - wordStart > longestWord) longestWord = end - wordStart;
  if (inMarks) sentences++;
  out.words = words;
  out.longestWord = longestWord;
  out.sentences = sentences;
}

/** lineFigures of content line k, from its words: a run of marks followed by a blank or the end ends a word. */
function contentLineFigures(t: TextLayout, k: number, out: LineFigures): void {
  const { text, wordStart, wordEnd } = t;
  const first = t.lineWord[k];
  const next = t.lineWord[k + 1];
  let longestWord = 0;
  let sentences = 0;
  for (let w = first; w < next; w++) {
    const len = wordEnd[w] - wordStart[w];
    if (len > longestWord) longestWord = len;
    if (isSentenceMark(text.charCodeAt(wordEnd[w] - 1))) sentences++;
  }
  out.words = next - first;
  out.longestWord = longestWord;
  out.sentences = sentences;
}

/** A doc holding any word of the file (one a line) as a whole word, case ignored; undefined without a file. */
function badWordsPattern(file: string | undefined): RegExp | undefined {
  if (!file) return undefined;
  const words = readFileSync(file, 'utf8').split('\n').map((w) => w.trim()).filter(Boolean);
  return new RegExp(`(?:^|[^\\p{L}])(?:${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?:[^\\p{L}]|$)`, 'iu');
}

/** C4 as datatrove runs it (see c4Lines); a bad word, zyda's addition, drops the doc after datatrove's rules. */
function datatroveC4(o: C4Options, bad: RegExp | undefined): (doc: { text: string }) => Verdict {
  return (doc) => {
    const r = c4Lines(doc.text, o);
    if (r.stop) return { keep: false, reason: r.stop };
    if (bad?.test(doc.text)) return { keep: false, reason: 'bad_words' };
    const features = { lines_removed: r.removed, lines_kept: r.kept.length, sentences: r.sentences };
    if (r.sentences < o.min_sentences) return { keep: false, reason: 'too_few_sentences', features };
    return { keep: true, features, text: c4Text(doc.text, r) };
  };
}

export const c4Task: FilterTask<C4Options> = {
  create(o) {
    const bad = badWordsPattern(o.bad_words_file);
    if (o.words === 'datatrove') return datatroveC4(o, bad);
    const phrases = [...(o.drop_javascript_lines ? ['javascript'] : []), ...(o.drop_policy_lines ? POLICY : [])];
    const phraseRule = (l: string) => phrases.some((p) => l.includes(p));
    const hasPhrase = phraseFinder(phrases);
    const hasLorem = phraseFinder([LOREM]);
    const f: LineFigures = { words: 0, longestWord: 0, sentences: 0 };
    // A blank line trims to '': no words, no terminal mark, no phrase.
    const keepBlank = !o.require_terminal_punct && o.min_words_per_line <= 0 && o.max_word_length >= 0;
    return (doc): Verdict => {
      const text = doc.text;
      let lower: string | undefined;
      if (o.drop_lorem_ipsum && hasLorem((lower = text.toLowerCase()))) return { keep: false, reason: 'lorem_ipsum' };
      if (o.drop_curly_bracket && text.includes('{')) return { keep: false, reason: 'curly_bracket' };
      if (bad?.test(text)) return { keep: false, reason: 'bad_words' };
      // The phrases are ASCII, and lower-casing a line gives the same units as lower-casing the doc does at that
      // place (only Σ depends on its context, and both its forms are non-ASCII): a line taken as it stands can
      // only contain a phrase if the lower-cased doc does. Lines that lost a citation are checked on their own.
      const phrasesInDoc = phrases.length > 0 && hasPhrase((lower ??= text.toLowerCase()));
      const t = layoutOf(text);
      // Kept lines: content lines of the text by number, or the strings left of lines that had citations.
      const kept: (number | string)[] = [];
      let removed = 0;
      let sentences = 0;
      let keptChars = 0;
      let cited = false;
      let nextBracket = o.remove_citations ? text.indexOf('[') : -1;
      // The lines are the text's `\n`-separated lines: blank ones (trimmed to '') between its content lines.
      const rawLines = t.newlines + 1;
      let raw = 0;
      for (let k = 0; k <= t.lineCount; k++) {
        for (const blanksEnd = k < t.lineCount ? t.lineRaw[k] : rawLines; raw < blanksEnd; raw++) {
          if (keepBlank) kept.push('');
          else removed++;
        }
        if (k === t.lineCount) break;
        raw++;
        const start = t.lineStart(k);
        const end = t.lineEnd(k);
        let line: string | undefined;
        // A `[` is inside some word, so inside the content line that holds it.
        if (nextBracket >= 0 && nextBracket < end) {
          // The blanks around the line cannot be part of a citation, so removing citations from the line and
          // trimming gives what it gives on the whole `\n`-separated line.
          line = text.slice(start, end).replace(CITATION, '').trim();
          nextBracket = text.indexOf('[', end);
          cited = true;
          lineFigures(line, f);
        } else contentLineFigures(t, k, f);
        const s = line ?? text;
        const from = line === undefined ? start : 0;
        const to = line === undefined ? end : line.length;
        let drop = (o.require_terminal_punct && !(to > from && isTerminal(s.charCodeAt(to - 1)))) || f.words < o.min_words_per_line || f.longestWord > o.max_word_length;
        if (!drop && (line !== undefined || phrasesInDoc)) drop = phraseRule((line ?? text.slice(start, end)).toLowerCase());
        if (drop) removed++;
        else {
          kept.push(line ?? k);
          keptChars += to - from;
          sentences += f.sentences;
        }
      }
      const features = { lines_removed: removed, lines_kept: kept.length, sentences };
      if (sentences < o.min_sentences) return { keep: false, reason: 'too_few_sentences', features };
      // Every line kept, none shortened (trimmed lines are never longer): the cleaned text is the text. Equal
      // either way, but then a later filter finds this text's layout already made.
      const unchanged = removed === 0 && !cited && keptChars + kept.length - 1 === text.length;
      return { keep: true, features, text: unchanged ? text : joinLines(t, kept) };
    };
  },
  rules: (o) => [{ rule: 'too_few_sentences', feature: 'sentences', bound: o.min_sentences, min: true }],
  explain(o) {
    // The whole-doc checks come first and stop the filter; without them it counts the sentences left.
    const sentences = c4Task.create({ ...o, drop_lorem_ipsum: false, drop_curly_bracket: false, bad_words_file: undefined });
    const badWords = o.bad_words_file ? c4Task.create({ ...o, drop_lorem_ipsum: false, drop_curly_bracket: false, min_sentences: 0 }) : undefined;
    const absent = (rule: string, on: boolean, found: number) => ({ rule, value: found, threshold: on ? '= 0' : 'off', passed: !on || found === 0 });
    if (o.words === 'datatrove') {
      return (doc) => {
        const r = c4Lines(doc.text, o);
        return [
          absent('lorem_ipsum', o.drop_lorem_ipsum, r.lorem ? 1 : 0),
          absent('curly_bracket', o.drop_curly_bracket, r.curly ? 1 : 0),
          ...(badWords ? [absent('bad_words', true, badWords(doc).keep ? 0 : 1)] : []),
          ...thresholdVerdicts({ sentences: r.sentences }, c4Task.rules!(o)),
        ];
      };
    }
    return (doc) => [
      absent('lorem_ipsum', o.drop_lorem_ipsum, doc.text.toLowerCase().includes(LOREM) ? 1 : 0),
      absent('curly_bracket', o.drop_curly_bracket, doc.text.split('{').length - 1),
      ...(badWords ? [absent('bad_words', true, badWords(doc).keep ? 0 : 1)] : []),
      ...thresholdVerdicts(sentences(doc).features, c4Task.rules!(o)),
    ];
  },
};
