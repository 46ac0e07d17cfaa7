/**
 * The words and sentences datatrove's English word tokenizer yields: spaCy's blank English pipeline (its
 * rule-based tokenizer) plus the sentencizer, each token's or sentence's text stripped and empty ones dropped.
 *
 * The algorithm follows spaCy's documentation of how its tokenizer works: split the text on whitespace; for each
 * substring, look up the special cases, then cut prefixes and suffixes in a loop (checking the special cases
 * after each cut), then keep what is left whole if it is a URL, or split it at infixes. A last pass merges token
 * runs that spell a special case containing an affix (`:)` cut into `:` `)` inside `ok:)`). The sentencizer
 * starts a sentence at the first token after a run of sentence-final punctuation that is not itself
 * punctuation. The rule data lives in spacy-en-rules.ts, generated from spaCy by
 * test/fixtures/make_spacy_words_fixtures.py; test/unit/spacy-words.test.ts compares this module with spaCy's
 * output on real documents.
 *
 * Positions are UTF-16 offsets into the text; every regex runs in `u` mode, so code points beyond the BMP are
 * matched as spaCy (Python) sees them.
 */
import { SPACY_EN_RULES as RULES } from './spacy-en-rules.js';

const prefixRe = new RegExp(RULES.prefix, 'u');
const suffixRe = new RegExp(RULES.suffix, 'u');
const infixRe = new RegExp(RULES.infix, 'gu');
const urlRe = new RegExp(RULES.url, 'u');

/** Python's str.isspace(), by UTF-16 unit (none of its characters lies beyond the BMP). */
const pySpace = new Uint8Array(65536);
for (const ch of RULES.space_chars) pySpace[ch.charCodeAt(0)] = 1;

function isPySpace(unit: number): boolean {
  return pySpace[unit] === 1;
}

/** Special case → the lengths of its tokens. */
const specials = new Map<string, number[]>();
for (const [key, pieces] of Object.entries(RULES.specials)) specials.set(key, pieces.map((p) => p.length));

function prefixLength(s: string): number {
  const m = prefixRe.exec(s);
  return m === null ? 0 : m[0].length;
}

function suffixLength(s: string): number {
  const m = suffixRe.exec(s);
  return m === null ? 0 : m[0].length;
}

/** Lengths of the tokens one non-whitespace substring splits into, appended to `out`. */
function splitSubstring(s: string, withSpecials: boolean, out: number[]): void {
  const special = withSpecials ? specials.get(s) : undefined;
  if (special !== undefined) {
    for (const n of special) out.push(n);
    return;
  }
  const prefixes: number[] = [];
  const suffixes: number[] = [];
  let rest = s;
  let lastLength = -1;
  while (rest.length > 0 && rest.length !== lastLength) {
    if (withSpecials && specials.has(rest)) break;
    lastLength = rest.length;
    const pre = prefixLength(rest);
    if (pre > 0 && withSpecials && pre < rest.length && specials.has(rest.slice(pre))) {
      prefixes.push(pre);
      rest = rest.slice(pre);
      break;
    }
    const suf = suffixLength(pre > 0 ? rest.slice(pre) : rest);
    // spaCy tests the text minus the suffix, prefix still on, against the special cases: `'em,` → `'em` `,`.
    if (suf > 0 && withSpecials && suf < rest.length && specials.has(rest.slice(0, rest.length - suf))) {
      suffixes.push(suf);
      rest = rest.slice(0, rest.length - suf);
      break;
    }
    if (pre > 0) prefixes.push(pre);
    if (suf > 0) suffixes.push(suf);
    rest = rest.slice(pre, rest.length - suf);
  }
  for (const n of prefixes) out.push(n);
  if (rest.length > 0) {
    const core = withSpecials ? specials.get(rest) : undefined;
    if (core !== undefined) for (const n of core) out.push(n);
    else if (urlRe.test(rest)) out.push(rest.length);
    else splitInfixes(rest, out);
  }
  for (let i = suffixes.length - 1; i >= 0; i--) out.push(suffixes[i]);
}

function splitInfixes(s: string, out: number[]): void {
  infixRe.lastIndex = 0;
  let start = 0;
  for (let m = infixRe.exec(s); m !== null; m = infixRe.exec(s)) {
    const at = m.index;
    const end = at + m[0].length;
    if (m[0].length === 0) infixRe.lastIndex = end + (s.codePointAt(end)! > 0xffff ? 2 : 1);
    // An infix at the very start is left attached to what follows; adjacent infixes have no text between them.
    if (at === 0) continue;
    if (at > start) out.push(at - start);
    if (end > at) out.push(end - at);
    start = end;
  }
  if (start < s.length) out.push(s.length - start);
}

/**
 * The special cases spaCy re-applies to the whole token stream: those holding a prefix, suffix or infix (its
 * "faster heuristics" leave out the rest), each as the tokens it splits into without special cases, indexed by
 * its first token. A rule that would give back the one token it matches is left out: it changes nothing and,
 * one token long, it is never weighed before a longer match.
 */
interface MergeRule {
  key: string;
  tokens: string[];
  pieces: number[];
}
const mergeRules = new Map<string, MergeRule[]>();
/** Whether a UTF-16 unit begins the first token of some merge rule. */
const mergeFirstUnit = new Uint8Array(65536);
for (const [key, pieces] of Object.entries(RULES.specials)) {
  if ([...key].some((ch) => isPySpace(ch.charCodeAt(0)))) continue;
  infixRe.lastIndex = 0;
  const affixed = prefixLength(key) > 0 || suffixLength(key) > 0 || infixRe.test(key);
  if (!affixed && RULES.faster_heuristics) continue;
  const lengths: number[] = [];
  splitSubstring(key, false, lengths);
  if (lengths.length === 1 && pieces.length === 1) continue;
  const tokens: string[] = [];
  let at = 0;
  for (const n of lengths) tokens.push(key.slice(at, (at += n)));
  const rule = { key, tokens, pieces: pieces.map((p) => p.length) };
  const list = mergeRules.get(tokens[0]);
  if (list === undefined) mergeRules.set(tokens[0], [rule]);
  else list.push(rule);
  mergeFirstUnit[tokens[0].charCodeAt(0)] = 1;
}
infixRe.lastIndex = 0;

const CACHE_LIMIT = 200_000;
const substringCache = new Map<string, number[]>();

/** Token lengths of one substring (all whitespace or none of it), memoised: the split depends on its text only. */
function substringTokens(s: string): number[] {
  let lengths = substringCache.get(s);
  if (lengths !== undefined) return lengths;
  lengths = [];
  splitSubstring(s, true, lengths);
  if (substringCache.size >= CACHE_LIMIT) substringCache.clear();
  substringCache.set(s, lengths);
  return lengths;
}

/** The tokens of one text as UTF-16 [start, end) offsets, whitespace tokens included; reused between calls. */
export interface TokenSpans {
  count: number;
  starts: Int32Array;
  ends: Int32Array;
}

const spans: TokenSpans = { count: 0, starts: new Int32Array(1024), ends: new Int32Array(1024) };

function push(start: number, end: number): void {
  if (spans.count === spans.starts.length) {
    const starts = new Int32Array(spans.count * 2);
    const ends = new Int32Array(spans.count * 2);
    starts.set(spans.starts);
    ends.set(spans.ends);
    spans.starts = starts;
    spans.ends = ends;
  }
  spans.starts[spans.count] = start;
  spans.ends[spans.count++] = end;
}

function pushSubstring(text: string, start: number, end: number): void {
  let at = start;
  for (const n of substringTokens(text.slice(start, end))) {
    push(at, at + n);
    at += n;
  }
}

/**
 * spaCy's tokens of `text`. Whitespace splits the text into runs; a run of whitespace that begins with a space
 * gives that space to the token before it (spaCy's trailing-space flag) and becomes a token of its own only for
 * what follows the space. The returned object is overwritten by the next call.
 */
export function spacyTokenSpans(text: string): TokenSpans {
  spans.count = 0;
  const n = text.length;
  let start = 0;
  let i = 0;
  while (i < n) {
    if (isPySpace(text.charCodeAt(i))) {
      // A space right after a token belongs to it; the rest of the whitespace run is one token.
      if (text.charCodeAt(i) === 32 && i > 0) i++;
      start = i;
      while (i < n && isPySpace(text.charCodeAt(i))) i++;
      if (i > start) pushSubstring(text, start, i);
    } else {
      start = i;
      while (i < n && !isPySpace(text.charCodeAt(i))) i++;
      pushSubstring(text, start, i);
    }
  }
  applyMergeRules(text);
  return spans;
}

interface Match {
  from: number;
  to: number;
  rule: MergeRule;
}

/** Whether tokens from..from+rule.tokens.length spell the rule's tokens. */
function spells(text: string, from: number, rule: MergeRule): boolean {
  if (from + rule.tokens.length > spans.count) return false;
  for (let j = 0; j < rule.tokens.length; j++) {
    const s = spans.starts[from + j];
    const token = rule.tokens[j];
    if (spans.ends[from + j] - s !== token.length || !text.startsWith(token, s)) return false;
  }
  return true;
}

/**
 * spaCy's last pass: token runs that spell a merge rule become the rule's pieces. Runs are weighed longest
 * first, then earliest; a run is taken when none of its tokens belongs to a run weighed before it (taken or not)
 * and its text, whitespace included, is the special case itself, so a run across a space is weighed and refused.
 */
function applyMergeRules(text: string): void {
  let matches: Match[] | undefined;
  for (let k = 0; k < spans.count; k++) {
    if (mergeFirstUnit[text.charCodeAt(spans.starts[k])] === 0) continue;
    const rules = mergeRules.get(text.slice(spans.starts[k], spans.ends[k]));
    if (rules === undefined) continue;
    for (const rule of rules) if (spells(text, k, rule)) (matches ??= []).push({ from: k, to: k + rule.tokens.length, rule });
  }
  if (matches === undefined) return;
  matches.sort((a, b) => b.to - b.from - (a.to - a.from) || a.from - b.from);
  const weighed = new Uint8Array(spans.count);
  const taken: Match[] = [];
  for (const m of matches) {
    let free = true;
    for (let i = m.from; i < m.to; i++) {
      if (weighed[i] === 1) free = false;
      weighed[i] = 1;
    }
    if (free && text.slice(spans.starts[m.from], spans.ends[m.to - 1]) === m.rule.key) taken.push(m);
  }
  if (taken.length === 0) return;
  taken.sort((a, b) => a.from - b.from);
  const starts = spans.starts.slice(0, spans.count);
  const ends = spans.ends.slice(0, spans.count);
  const count = spans.count;
  spans.count = 0;
  let i = 0;
  for (const m of taken) {
    while (i < m.from) push(starts[i], ends[i++]);
    let at = starts[m.from];
    for (const n of m.rule.pieces) push(at, (at += n));
    i = m.to;
  }
  while (i < count) push(starts[i], ends[i++]);
}

const punctChars = new Set(RULES.punct_chars);
const punctRe = /^\p{P}+$/u;

/** spaCy's `is_punct`: every character in a Unicode punctuation category. */
function isPunct(text: string, start: number, end: number): boolean {
  if (end - start === 1) {
    const c = text.charCodeAt(start);
    if (c < 128) return ASCII_PUNCT[c] === 1;
  }
  return punctRe.test(text.slice(start, end));
}

const ASCII_PUNCT = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_PUNCT[c] = punctRe.test(String.fromCharCode(c)) ? 1 : 0;

function isSentenceFinal(text: string, start: number, end: number): boolean {
  if (end - start > 2) return false;
  return punctChars.has(text.slice(start, end));
}

/** Python's str.strip() of text[start, end). */
function pyStrip(text: string, start: number, end: number): string {
  while (start < end && isPySpace(text.charCodeAt(start))) start++;
  while (end > start && isPySpace(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/** datatrove's English `word_tokenize(text)`: spaCy's token texts, stripped, empty ones dropped. */
export function datatroveWords(text: string): string[] {
  const t = spacyTokenSpans(text);
  const words: string[] = [];
  for (let k = 0; k < t.count; k++) {
    // Tokens are wholly whitespace or free of it, so stripping keeps a token whole or drops it.
    if (!isPySpace(text.charCodeAt(t.starts[k]))) words.push(text.slice(t.starts[k], t.ends[k]));
  }
  return words;
}

/**
 * datatrove's English `sent_tokenize(text)`: the sentencizer's sentences, stripped, empty ones dropped. A sentence
 * ends after a token in the sentencizer's punct_chars once a later token is neither in them nor punctuation.
 */
export function datatroveSentences(text: string): string[] {
  const t = spacyTokenSpans(text);
  const sentences: string[] = [];
  if (t.count === 0) return sentences;
  let sentenceStart = t.starts[0];
  let seenFinal = false;
  for (let k = 0; k < t.count; k++) {
    const s = t.starts[k];
    const e = t.ends[k];
    const final = isSentenceFinal(text, s, e);
    if (seenFinal && !final && !isPunct(text, s, e)) {
      const sentence = pyStrip(text, sentenceStart, s);
      if (sentence.length > 0) sentences.push(sentence);
      sentenceStart = s;
      seenFinal = false;
    } else if (final) seenFinal = true;
  }
  const last = pyStrip(text, sentenceStart, t.ends[t.count - 1]);
  if (last.length > 0) sentences.push(last);
  return sentences;
}
