import { datatroveSentences, datatroveWords } from '../words/spacy-en.js';
import { docWords, rememberWordCount } from './doc-words.js';
import { lineTokens, type LineTokens } from './sentences.js';
import { pyStrip, skipSpace, splitlinesRanges, splitWords, trimSpaceEnd } from '../python-text.js';

export interface C4Options {
  min_words_per_line: number;
  max_word_length: number;
  require_terminal_punct: boolean;
  drop_javascript_lines: boolean;
  drop_policy_lines: boolean;
  drop_lorem_ipsum: boolean;
  drop_curly_bracket: boolean;
  remove_citations: boolean;
}

/** What C4's line loop found in a doc, read to its end. */
export interface C4Lines {
  kept: string[];
  /** datatrove's words in the kept lines: in the text they make, as no line break is a word. */
  keptWords: number;
  removed: number;
  /** Sentences of the kept lines, by datatrove's sentence splitter. */
  sentences: number;
  /** The first whole-doc rule a line met ('lorem_ipsum' or 'curly_bracket'), if any. */
  stop: string | undefined;
  lorem: boolean;
  curly: boolean;
}

const CITATION = /\[\p{Nd}*\]|\[edit\]|\[citation needed\]/gu;
const LOREM = 'lorem ipsum';
const POLICY = ['terms of use', 'privacy policy', 'cookie policy', 'uses cookies', 'use of cookies', 'use cookies'];
/** C4's terminal marks (datatrove's END_PUNCTUATION): a line ending `...` has none. */
const END_MARKS = new Set(['.', '?', '!', '"', "'"].map((c) => c.charCodeAt(0)));

function endsSentence(line: string): boolean {
  return END_MARKS.has(line.charCodeAt(line.length - 1)) && !line.endsWith('...');
}

/**
 * C4's line loop as datatrove runs it: the lines are str.splitlines(), each stripped; its words (whitespace
 * split, before citations go) decide the long-word and short-line rules; "lorem ipsum" and `{` only count in a
 * line that got that far, `{` after the javascript rule; a kept line adds the sentences datatrove's sentence
 * splitter finds in it (at least one).
 */
export function c4Lines(text: string, o: C4Options): C4Lines {
  const out: C4Lines = { kept: [], keptWords: 0, removed: 0, sentences: 0, stop: undefined, lorem: false, curly: false };
  const ranges = splitlinesRanges(text);
  const d = docWords(text);
  const tokens: LineTokens = { sentences: 0, words: 0, next: 0 };
  // The phrases are ASCII, and a line lower-cased holds what the lower-cased doc holds at its place: a line
  // that lost no citation can only hold a phrase the doc holds.
  const lowerDoc = text.toLowerCase();
  const docHas = (phrase: string) => lowerDoc.includes(phrase);
  const docLorem = docHas(LOREM);
  const docJavascript = o.drop_javascript_lines && docHas('javascript');
  const docPolicy = o.drop_policy_lines && POLICY.some(docHas);
  for (let k = 0; k < ranges.length; k += 2) {
    const end = trimSpaceEnd(text, ranges[k], ranges[k + 1]);
    const start = skipSpace(text, ranges[k], end);
    const w = splitWords(text, start, end, o.max_word_length === -1 ? Infinity : o.max_word_length);
    let line = text.slice(start, end);
    const drop = () => void out.removed++;
    if (o.max_word_length !== -1 && w.overLong) {
      drop();
      continue;
    }
    if (o.remove_citations && line.includes('[')) line = line.replace(CITATION, '');
    const cited = line.length !== end - start;
    if ((o.require_terminal_punct && !endsSentence(line)) || w.words < o.min_words_per_line) {
      drop();
      continue;
    }
    const lower = cited || docLorem || docJavascript || docPolicy ? line.toLowerCase() : '';
    if ((cited || docLorem) && lower.includes(LOREM)) {
      out.lorem = true;
      if (o.drop_lorem_ipsum) out.stop ??= 'lorem_ipsum';
    }
    if ((cited || docJavascript) && o.drop_javascript_lines && lower.includes('javascript')) {
      drop();
      continue;
    }
    if (line.includes('{')) {
      out.curly = true;
      if (o.drop_curly_bracket) out.stop ??= 'curly_bracket';
    }
    if ((cited || docPolicy) && o.drop_policy_lines && POLICY.some((p) => lower.includes(p))) {
      drop();
      continue;
    }
    // A line that lost a citation is new text; any other is the doc's, tokens and all.
    if (cited) {
      tokens.sentences = datatroveSentences(line).length;
      tokens.words = datatroveWords(line).length;
    } else lineTokens(d, start, end, tokens.next, tokens);
    out.sentences += Math.max(1, tokens.sentences);
    out.keptWords += tokens.words;
    out.kept.push(line);
  }
  return out;
}

/**
 * The text C4 keeps: the kept lines joined by newlines, stripped; the text itself when that is equal to it.
 * A new text's word count is remembered for the filters after C4.
 */
export function c4Text(text: string, lines: C4Lines): string {
  const joined = pyStrip(lines.kept.join('\n'));
  if (joined === text) return text;
  rememberWordCount(joined, lines.keptWords);
  return joined;
}
