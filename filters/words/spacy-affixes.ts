/**
 * spaCy's English tokenizer rules applied to one substring free of whitespace: the special cases, the prefix and
 * suffix loop, url_match and the infixes, as spaCy's documentation of its tokenizer describes them; and the
 * special cases its last pass re-applies to the token stream (see spacy-en.ts). The rule data is generated from
 * spaCy into spacy-en-rules.ts.
 */
import { isPySpace } from '../python-text.js';
import { SPACY_EN_RULES as RULES } from './spacy-en-rules.js';

const prefixRe = new RegExp(RULES.prefix, 'u');
/** Sticky: tried at a few start positions near the end rather than scanned over the whole substring. */
const suffixRe = new RegExp(RULES.suffix, 'uy');
const infixRe = new RegExp(RULES.infix, 'gu');
const urlRe = new RegExp(RULES.url, 'u');

/**
 * UTF-16 units a match can begin (prefix, infix) or end (suffix) with, or of which every URL holds one: a
 * substring with none of them needs no regex. A set reaching beyond the BMP marks every surrogate.
 */
function unitTable(ranges: [number, number][]): Uint8Array {
  const table = new Uint8Array(65536);
  for (const [lo, hi] of ranges) {
    if (hi > 0xffff) table.fill(1, 0xd800, 0xe000);
    if (lo <= 0xffff) table.fill(1, lo, Math.min(hi, 0xffff) + 1);
  }
  return table;
}
const PREFIX_FIRST = unitTable(RULES.prefix_first);
const SUFFIX_LAST = unitTable(RULES.suffix_last);
const INFIX_FIRST = unitTable(RULES.infix_first);
const URL_REQUIRED = unitTable(RULES.url_required);

function holdsUnitOf(s: string, table: Uint8Array): boolean {
  for (let i = 0; i < s.length; i++) if (table[s.charCodeAt(i)] === 1) return true;
  return false;
}

/** Special case → the lengths of its tokens. */
const specials = new Map<string, number[]>();
for (const [key, pieces] of Object.entries(RULES.specials)) specials.set(key, pieces.map((p) => p.length));

function prefixLength(s: string): number {
  if (PREFIX_FIRST[s.charCodeAt(0)] === 0) return 0;
  const m = prefixRe.exec(s);
  return m === null ? 0 : m[0].length;
}

/**
 * The length of the leftmost suffix match, as Python's search() of the `$`-anchored alternatives finds it. Every
 * alternative but a run of full stops spans at most RULES.suffix_max_units units, so only the last ones can
 * start a match, unless the substring ends in a longer run of full stops.
 */
function suffixLength(s: string): number {
  const n = s.length;
  if (n === 0 || SUFFIX_LAST[s.charCodeAt(n - 1)] === 0) return 0;
  let dots = n;
  while (dots > 0 && s.charCodeAt(dots - 1) === 46) dots--;
  if (n - dots >= 2 && dots < n - RULES.suffix_max_units) return n - dots;
  for (let i = Math.max(0, n - RULES.suffix_max_units); i < n; i++) {
    // Never start inside a surrogate pair: Python sees one code point there.
    if (i > 0 && isLowSurrogate(s.charCodeAt(i)) && isHighSurrogate(s.charCodeAt(i - 1))) continue;
    suffixRe.lastIndex = i;
    if (suffixRe.test(s)) return n - i;
  }
  return 0;
}

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** Lengths of the tokens one substring (whitespace or free of it) splits into, appended to `out`. */
export function splitSubstring(s: string, withSpecials: boolean, out: number[]): void {
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
    else if (holdsUnitOf(rest, URL_REQUIRED) && urlRe.test(rest)) out.push(rest.length);
    else splitInfixes(rest, out);
  }
  for (let i = suffixes.length - 1; i >= 0; i--) out.push(suffixes[i]);
}

function splitInfixes(s: string, out: number[]): void {
  if (!holdsUnitOf(s, INFIX_FIRST)) {
    out.push(s.length);
    return;
  }
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
export interface MergeRule {
  key: string;
  tokens: string[];
  pieces: number[];
}
export interface MergeTables {
  rules: Map<string, MergeRule[]>;
  /**
   * Filters that rule most tokens out without building their text: by the first UTF-16 unit of a merge rule's
   * first token, a bit per length of that token (bit 31 for 31 units and more), for all rules (first) and for
   * the one-token ones (alone); and the first units of rules' second tokens (next).
   */
  first: Uint32Array;
  alone: Uint32Array;
  next: Uint8Array;
}

let merge: MergeTables | undefined;

/** The merge rules, worked out on first use: only spaCy-style word splitting needs them, and it takes a while. */
export function mergeTables(): MergeTables {
  if (merge === undefined) merge = buildMergeTables();
  return merge;
}

function buildMergeTables(): MergeTables {
  const t: MergeTables = { rules: new Map(), first: new Uint32Array(65536), alone: new Uint32Array(65536), next: new Uint8Array(65536) };
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
    const list = t.rules.get(tokens[0]);
    if (list === undefined) t.rules.set(tokens[0], [rule]);
    else list.push(rule);
    const lengthBit = 1 << Math.min(tokens[0].length, 31);
    t.first[tokens[0].charCodeAt(0)] |= lengthBit;
    if (tokens.length === 1) t.alone[tokens[0].charCodeAt(0)] |= lengthBit;
    else t.next[tokens[1].charCodeAt(0)] = 1;
  }
  infixRe.lastIndex = 0;
  return t;
}
