import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { datatroveSentences, datatroveWordSpans, datatroveWords } from '../../filters/words/spacy-en.js';
import { splitSubstring } from '../../filters/words/spacy-affixes.js';
import { DIGITS, LETTERS, unitKind } from '../../filters/words/plain-units.js';
import { NOT_FOUND, ONE_TOKEN, SplitMemo } from '../../filters/words/substring-memo.js';
import { needsShared, ROOT, SHARED } from '../helpers.js';

/** Items located in a text as (gap, length) pairs in code points, each gap from the end of the previous item. */
type Spans = number[];
interface Reference {
  w: Spans;
  s: Spans;
}
interface Fixture {
  spacy_version: string;
  edge: (Reference & { text: string })[];
  fuzz: (Reference & { text: string })[];
  dev: Record<string, [line: number, ref: Reference][]>;
}

const fixture = JSON.parse(gunzipSync(readFileSync(join(ROOT, 'test', 'fixtures', 'spacy-words.json.gz'))).toString('utf8')) as Fixture;

function decode(text: string, spans: Spans): string[] {
  const points = Array.from(text);
  const out: string[] = [];
  let at = 0;
  for (let k = 0; k < spans.length; k += 2) {
    at += spans[k];
    out.push(points.slice(at, at + spans[k + 1]).join(''));
    at += spans[k + 1];
  }
  return out;
}

interface Tally {
  docs: number;
  equal: number;
  tokens: number;
  sentences: number;
  differing: { doc: string; words?: [string[], string[]]; sentences?: [string[], string[]] }[];
}

function compare(tally: Tally, name: string, text: string, ref: Reference): void {
  const words = decode(text, ref.w);
  const sentences = decode(text, ref.s);
  const ourWords = datatroveWords(text);
  const ourSentences = datatroveSentences(text);
  tally.docs++;
  tally.tokens += words.length;
  tally.sentences += sentences.length;
  const wordsEqual = ourWords.length === words.length && ourWords.every((w, i) => w === words[i]);
  const sentencesEqual = ourSentences.length === sentences.length && ourSentences.every((s, i) => s === sentences[i]);
  if (wordsEqual && sentencesEqual) tally.equal++;
  else tally.differing.push({ doc: name, ...(wordsEqual ? {} : { words: firstDifference(ourWords, words) }), ...(sentencesEqual ? {} : { sentences: firstDifference(ourSentences, sentences) }) });
}

/** A few items either side of the first place two lists differ: [ours, spaCy's]. */
function firstDifference(ours: string[], theirs: string[]): [string[], string[]] {
  let i = 0;
  while (i < ours.length && i < theirs.length && ours[i] === theirs[i]) i++;
  return [ours.slice(Math.max(0, i - 2), i + 3), theirs.slice(Math.max(0, i - 2), i + 3)];
}

const newTally = (): Tally => ({ docs: 0, equal: 0, tokens: 0, sentences: 0, differing: [] });

function report(label: string, t: Tally): string {
  return `${label}: ${t.equal} of ${t.docs} docs equal to spaCy ${fixture.spacy_version} (${t.tokens} words, ${t.sentences} sentences)`;
}

test('contractions, abbreviations and possessives split as spaCy splits them', () => {
  assert.deepEqual(datatroveWords("Don't you think it's fine? I can't."), ['Do', "n't", 'you', 'think', 'it', "'s", 'fine', '?', 'I', 'ca', "n't", '.']);
  assert.deepEqual(datatroveWords('Mr. Smith met Dr. Jones in the U.S. at 5 p.m.'), ['Mr.', 'Smith', 'met', 'Dr.', 'Jones', 'in', 'the', 'U.S.', 'at', '5', 'p.m.']);
  assert.deepEqual(datatroveWords("'em, ('em) gonna"), ["'em", ',', '(', "'em", ')', 'gon', 'na']);
});

test('punctuation, brackets, quotes and ellipses are words of their own', () => {
  assert.deepEqual(datatroveWords('"Wait... what?!" (really) [x]'), ['"', 'Wait', '...', 'what', '?', '!', '"', '(', 'really', ')', '[', 'x', ']']);
  assert.deepEqual(datatroveWords('hello...world well-known 1-2 a--b'), ['hello', '...', 'world', 'well', '-', 'known', '1', '-', '2', 'a', '--', 'b']);
});

test('numbers with units and currencies, URLs and emails', () => {
  assert.deepEqual(datatroveWords('10km $5.00 US$5 3.5m/s 45°C.'), ['10', 'km', '$', '5.00', 'US$', '5', '3.5', 'm/s', '45', '°', 'C', '.']);
  assert.deepEqual(datatroveWords('See http://example.com/a?b=c. or mail a@b.com.'), ['See', 'http://example.com/a?b=c', '.', 'or', 'mail', 'a@b.com', '.']);
});

test('emoticons are kept whole where spaCy keeps them, even when glued to a word', () => {
  assert.deepEqual(datatroveWords('Hi:) (: x:-) :-)'), ['Hi', ':)', '(:', 'x:-', ')', ':-)']);
  // spaCy weighs runs that overlap a taken or refused run (here one across the space) and leaves them split.
  assert.deepEqual(datatroveWords("a:):) `back' ''two''"), ['a', ':)', ':', ')', '`', 'back', "'", "'", "'", 'two', "''"]);
});

test('whitespace runs are dropped as words but start sentences; punctuation after a final mark stays with it', () => {
  assert.deepEqual(datatroveWords('  a\tb\x1cc\u00a0 d\u200be  \n'), ['a', 'b', 'c', 'd\u200be']);
  assert.deepEqual(datatroveSentences('Hi.\n!'), ['Hi.', '!']);
  assert.deepEqual(datatroveSentences('Hi. !'), ['Hi. !']);
  assert.deepEqual(datatroveSentences('One. Two! (Three?) "Four." Five... six'), ['One.', 'Two! (', 'Three?) "', 'Four."', 'Five... six']);
  assert.deepEqual(datatroveSentences('Hi. $5'), ['Hi.', '$5']);
  assert.deepEqual(datatroveSentences(''), []);
  assert.deepEqual(datatroveWords(' \n '), []);
});

test('no prefix, suffix, infix or url pattern matches a run of letters or of ASCII digits (the fast path)', () => {
  const wrong: string[] = [];
  const check = (s: string): void => {
    const lengths: number[] = [];
    splitSubstring(s, false, lengths);
    if (lengths.length !== 1) wrong.push(s);
  };
  let letters = 0;
  for (let c = 0; c < 0x10000; c++) {
    const kind = unitKind(c);
    if (kind === LETTERS) {
      letters++;
      const ch = String.fromCharCode(c);
      for (const s of [ch, ch + ch, `a${ch}`, `${ch}a`, `${ch}km`, `Z${ch}s`]) check(s);
    } else if (kind === DIGITS) {
      for (const s of [String.fromCharCode(c), `19${String.fromCharCode(c)}7`]) check(s);
    }
  }
  assert.ok(letters > 40_000, `${letters} letters and marks`);
  assert.deepEqual(wrong.slice(0, 10), []);
});

test('the split memo answers what was recorded, also after it fills and starts again', () => {
  const memo = new SplitMemo(4);
  const text = Array.from({ length: 40 }, (_, i) => `w${i}x`).join(' ');
  const units = Uint16Array.from(text, (c) => c.charCodeAt(0));
  const words = [...text.matchAll(/\S+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length, hash: m[0].length * 7 + (m.index % 3) }));
  for (const [i, w] of words.entries()) {
    assert.equal(memo.get(units, w.start, w.end, w.hash), NOT_FOUND);
    memo.set(units, w.start, w.end, w.hash, i % 2 === 0 ? [w.end - w.start] : [1, w.end - w.start - 1]);
    const found = memo.get(units, w.start, w.end, w.hash);
    if (i % 2 === 0) assert.equal(found, ONE_TOKEN);
    else assert.deepEqual([memo.records[found], memo.records[found + 1], memo.records[found + 2]], [2, 1, w.end - w.start - 1]);
  }
  // Sixteen slots hold eight entries: the first words were let go when it started again.
  assert.equal(memo.get(units, words[0].start, words[0].end, words[0].hash), NOT_FOUND);
});

test('each call returns its own array, also when the same text is asked again', () => {
  const text = 'Same doc. Asked twice!';
  const first = datatroveWords(text);
  first.push('changed');
  assert.deepEqual(datatroveWords(text), ['Same', 'doc', '.', 'Asked', 'twice', '!']);
  const sentences = datatroveSentences(text);
  sentences.length = 0;
  assert.deepEqual(datatroveSentences(text), ['Same doc.', 'Asked twice!']);
});

test('word spans locate the words', () => {
  for (const c of fixture.edge) {
    const spans = datatroveWordSpans(c.text);
    const located = Array.from({ length: spans.count }, (_, k) => c.text.slice(spans.starts[k], spans.ends[k]));
    assert.deepEqual(located, datatroveWords(c.text));
  }
});

test('hand-written edge cases equal spaCy', () => {
  const tally = newTally();
  fixture.edge.forEach((c, i) => compare(tally, `edge ${i}: ${JSON.stringify(c.text.slice(0, 60))}`, c.text, c));
  console.log(report('spacy words, edge cases', tally));
  assert.deepEqual(tally.differing, []);
});

test('seeded random texts glued from affixes, special cases, emoticons and URLs equal spaCy', () => {
  const tally = newTally();
  fixture.fuzz.forEach((c, i) => compare(tally, `fuzz ${i}: ${JSON.stringify(c.text.slice(0, 80))}`, c.text, c));
  console.log(report('spacy words, random texts', tally));
  assert.deepEqual(tally.differing.slice(0, 5), []);
  assert.equal(tally.equal, tally.docs);
});

for (const [file, docs] of Object.entries(fixture.dev)) {
  test(`${file}: words and sentences equal spaCy on ${docs.length} real documents`, { skip: needsShared(join('data', 'dev', file)) }, () => {
    const lines = gunzipSync(readFileSync(join(SHARED, 'data', 'dev', file))).toString('utf8').split('\n');
    const tally = newTally();
    for (const [line, ref] of docs) compare(tally, `${file}:${line}`, (JSON.parse(lines[line - 1]) as { text: string }).text, ref);
    console.log(report(`spacy words, ${file}`, tally));
    assert.deepEqual(tally.differing.slice(0, 5), []);
    assert.equal(tally.equal, tally.docs);
  });
}
