/**
 * The words and sentences datatrove's English word tokenizer yields: spaCy's blank English pipeline (its
 * rule-based tokenizer) plus the sentencizer, each token's or sentence's text stripped and empty ones dropped.
 *
 * Following spaCy's documentation of its tokenizer: the text is split on whitespace; each substring goes through
 * the special cases, the prefix/suffix loop, url_match and the infixes (spacy-affixes.ts); a last pass over the
 * whole token stream merges runs that spell a special case holding an affix (`:` `)` inside `ok:)`). The
 * sentencizer starts a sentence at the first token after a sentence-final mark that is neither such a mark nor
 * punctuation. test/unit/spacy-words.test.ts compares this module with spaCy's output on real documents.
 *
 * datatrove retries a text without the string "IS_ALPHA" when spaCy raises on it; spaCy 3.8 does not raise (an
 * edge case of the fixture holds the string), so there is no such step here.
 *
 * Positions are UTF-16 offsets into the text; every regex runs in `u` mode, so code points beyond the BMP are
 * matched as spaCy (Python) sees them. A substring's split depends on its text only, so it is memoised: on real
 * text most substrings are found there by a hash of their units, without building a string.
 */
import { UnitBuffer } from '../../core/utf16.js';
import { isPySpace, skipSpace, trimSpaceEnd } from '../python-text.js';
import { SPACY_EN_RULES as RULES } from './spacy-en-rules.js';
import { mergeTables, splitSubstring, type MergeRule } from './spacy-affixes.js';
import { DIGITS, isPlain, LETTERS, unitKind } from './plain-units.js';
import { HASH_START, hashStep, MAX_MEMO_UNITS, NOT_FOUND, ONE_TOKEN, SplitMemo } from './substring-memo.js';

/** The tokens of one text as UTF-16 [start, end) offsets, whitespace tokens included. */
export interface TokenSpans {
  count: number;
  starts: Int32Array;
  ends: Int32Array;
}

const spans: TokenSpans = { count: 0, starts: new Int32Array(1024), ends: new Int32Array(1024) };
/** The text `spans` holds the tokens of: the filters of one chain ask for the same doc's words in turn. */
let spansText: string | undefined;
const unitBuffer = new UnitBuffer();
const memo = new SplitMemo(17);

/**
 * A substring of letters only, or of ASCII digits only (plain-units.ts), is one token unless it is a special case
 * ("gonna", "Cannot"). Those special cases are known by hash; a substring whose hash shares a slot of this table
 * with one of theirs takes the general path.
 */
const PLAIN_SPECIAL = new Uint8Array(65536);
const hashSlot = (hash: number): number => (hash ^ (hash >>> 16)) & 0xffff;
for (const key of Object.keys(RULES.specials)) {
  if (!isPlain(key)) continue;
  let hash = HASH_START;
  for (let i = 0; i < key.length; i++) hash = hashStep(hash, key.charCodeAt(i));
  PLAIN_SPECIAL[hashSlot(hash)] = 1;
}

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

function pushSubstring(text: string, u: Uint16Array, start: number, end: number, hash: number): void {
  const memoised = end - start <= MAX_MEMO_UNITS;
  const found = memoised ? memo.get(u, start, end, hash) : NOT_FOUND;
  if (found === ONE_TOKEN) {
    push(start, end);
  } else if (found !== NOT_FOUND) {
    const r = memo.records;
    let at = start;
    for (let k = 1; k <= r[found]; k++) push(at, (at += r[found + k]));
  } else {
    const lengths: number[] = [];
    splitSubstring(text.slice(start, end), true, lengths);
    if (memoised) memo.set(u, start, end, hash, lengths);
    let at = start;
    for (const n of lengths) push(at, (at += n));
  }
}

/**
 * spaCy's tokens of `text`. Whitespace (Python's str.isspace) splits the text into runs; a whitespace run that
 * begins with a space gives that space to the token before it (spaCy's trailing-space flag) and is a token of
 * its own only for what follows the space. The returned object is overwritten by the next call with other text.
 */
export function spacyTokenSpans(text: string): TokenSpans {
  if (text === spansText) return spans;
  spansText = undefined;
  spans.count = 0;
  const u = unitBuffer.fill(text);
  const n = text.length;
  let i = 0;
  while (i < n) {
    let start = i;
    let hash = HASH_START;
    if (isPySpace(u[i])) {
      if (u[i] === 32 && i > 0) start = ++i;
      while (i < n && isPySpace(u[i])) hash = hashStep(hash, u[i++]);
      if (i > start) pushSubstring(text, u, start, i, hash);
    } else {
      let kind = LETTERS | DIGITS;
      while (i < n && !isPySpace(u[i])) {
        const c = u[i++];
        kind &= unitKind(c);
        hash = hashStep(hash, c);
      }
      if (kind !== 0 && PLAIN_SPECIAL[hashSlot(hash)] === 0) push(start, i);
      else pushSubstring(text, u, start, i, hash);
    }
  }
  applyMergeRules(text, u);
  spansText = text;
  return spans;
}

interface Match {
  from: number;
  to: number;
  rule: MergeRule;
}

/** Whether the tokens from `from` on spell the rule's tokens. */
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
function applyMergeRules(text: string, u: Uint16Array): void {
  let matches: Match[] | undefined;
  const { starts, ends, count } = spans;
  const merge = mergeTables();
  for (let k = 0; k < count; k++) {
    const first = u[starts[k]];
    const lengthBit = Math.min(ends[k] - starts[k], 31);
    if (((merge.first[first] >>> lengthBit) & 1) === 0) continue;
    if ((k + 1 === count || merge.next[u[starts[k + 1]]] === 0) && ((merge.alone[first] >>> lengthBit) & 1) === 0) continue;
    const rules = merge.rules.get(text.slice(starts[k], ends[k]));
    if (rules === undefined) continue;
    for (const rule of rules) if (spells(text, k, rule)) (matches ??= []).push({ from: k, to: k + rule.tokens.length, rule });
  }
  if (matches !== undefined) replaceRuns(text, matches);
}

function replaceRuns(text: string, matches: Match[]): void {
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

/** The sentencizer's punct_chars by UTF-16 unit (BMP ones); those beyond the BMP are looked up as strings. */
const FINAL_UNIT = new Uint8Array(65536);
const finalAstral = new Set<string>();
for (const ch of RULES.punct_chars) {
  if (ch.length === 1) FINAL_UNIT[ch.charCodeAt(0)] = 1;
  else finalAstral.add(ch);
}

function isSentenceFinal(text: string, start: number, end: number): boolean {
  if (end - start === 1) return FINAL_UNIT[text.charCodeAt(start)] === 1;
  return end - start === 2 && finalAstral.has(text.slice(start, end));
}

const punctRe = /^\p{P}+$/u;

/** spaCy's `is_punct`: every character in a Unicode punctuation category (P*). */
function isPunct(text: string, start: number, end: number): boolean {
  return punctRe.test(text.slice(start, end));
}

/**
 * The sentencizer's rule over a run of tokens in order: a sentence starts at the first token, and at each token
 * that is neither a sentence-final mark nor punctuation once a final mark has been seen since the last start.
 */
export class SentenceBreaks {
  private seenFinal = false;

  /** Starts over: the next token is a first one. */
  reset(): void {
    this.seenFinal = false;
  }

  /** Whether the token text[start, end) starts a sentence after the tokens seen since reset (a first token: false). */
  next(text: string, start: number, end: number): boolean {
    const c = text.charCodeAt(start);
    // A token starting with an ASCII letter or digit is neither a final mark nor punctuation.
    const plain = (c >= 0x30 && c <= 0x39) || ((c | 32) >= 0x61 && (c | 32) <= 0x7a);
    const final = !plain && isSentenceFinal(text, start, end);
    if (this.seenFinal && !final && (plain || !isPunct(text, start, end))) {
      this.seenFinal = false;
      return true;
    }
    if (final) this.seenFinal = true;
    return false;
  }
}

/** Python's str.strip() of text[start, end). */
function pyStrip(text: string, start: number, end: number): string {
  const to = trimSpaceEnd(text, start, end);
  return text.slice(skipSpace(text, start, to), to);
}

const wordSpans: TokenSpans = { count: 0, starts: new Int32Array(1024), ends: new Int32Array(1024) };
let wordSpansText: string | undefined;

/**
 * The offsets of datatroveWords(text) without building their strings (lengths here are UTF-16 units, where
 * Python counts code points). The returned object is overwritten by the next call with other text.
 */
export function datatroveWordSpans(text: string): TokenSpans {
  if (text === wordSpansText) return wordSpans;
  const t = spacyTokenSpans(text);
  if (wordSpans.starts.length < t.count) {
    wordSpans.starts = new Int32Array(t.starts.length);
    wordSpans.ends = new Int32Array(t.starts.length);
  }
  let n = 0;
  for (let k = 0; k < t.count; k++) {
    if (isPySpace(text.charCodeAt(t.starts[k]))) continue;
    wordSpans.starts[n] = t.starts[k];
    wordSpans.ends[n++] = t.ends[k];
  }
  wordSpans.count = n;
  wordSpansText = text;
  return wordSpans;
}

/** The last text's words and sentences, for the next filter of a chain that asks for the same doc's. */
let wordsText: string | undefined;
let lastWords: string[] = [];
let sentencesText: string | undefined;
let lastSentences: string[] = [];

/** datatrove's English `word_tokenize(text)`: spaCy's token texts, stripped, empty ones dropped. A new array. */
export function datatroveWords(text: string): string[] {
  if (text === wordsText) return lastWords.slice();
  const t = spacyTokenSpans(text);
  const words: string[] = [];
  for (let k = 0; k < t.count; k++) {
    // A token is wholly whitespace or free of it, so stripping keeps it whole or drops it.
    if (!isPySpace(text.charCodeAt(t.starts[k]))) words.push(text.slice(t.starts[k], t.ends[k]));
  }
  wordsText = text;
  lastWords = words;
  return words.slice();
}

/**
 * datatrove's English `sent_tokenize(text)`: the sentencizer's sentences, stripped, empty ones dropped; a new
 * array. A sentence ends after a token in the sentencizer's punct_chars once a later token is neither in them
 * nor punctuation.
 */
export function datatroveSentences(text: string): string[] {
  if (text !== sentencesText) {
    lastSentences = sentencesOf(text);
    sentencesText = text;
  }
  return lastSentences.slice();
}

function sentencesOf(text: string): string[] {
  const t = spacyTokenSpans(text);
  const sentences: string[] = [];
  if (t.count === 0) return sentences;
  const breaks = new SentenceBreaks();
  let sentenceStart = t.starts[0];
  for (let k = 0; k < t.count; k++) {
    if (!breaks.next(text, t.starts[k], t.ends[k])) continue;
    // A sentence's text runs to its last token; what lies between that and the next token is whitespace.
    const sentence = pyStrip(text, sentenceStart, t.starts[k]);
    if (sentence.length > 0) sentences.push(sentence);
    sentenceStart = t.starts[k];
  }
  const last = pyStrip(text, sentenceStart, t.ends[t.count - 1]);
  if (last.length > 0) sentences.push(last);
  return sentences;
}
