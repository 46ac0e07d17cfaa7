import { test } from 'node:test';
import assert from 'node:assert/strict';
import { astralClass, isSpace, LETTER, PUNCT_OR_SYMBOL, SPACE, unitClass } from '../../filters/char-classes.js';
import { NgramClasses } from '../../filters/ngram-classes.js';
import { StopWords } from '../../filters/stop-words.js';
import { PairInterner, RangeInterner } from '../../filters/text-interner.js';
import { unitsOf } from '../../core/utf16.js';
import { LayoutCache, TextLayout, wordHash } from '../../filters/text-layout.js';
import { contentLines, paragraphs, words } from '../reference/text-units.js';

/** A seeded generator, so a failure names a reproducible case. */
function random(seed: number): () => number {
  return () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

/** Texts made of few distinct pieces, so words, lines and paragraphs repeat, with odd whitespace and Unicode. */
function texts(count: number, seed = 1): string[] {
  const rnd = random(seed);
  const pieces = ['the', 'The', 'THE', 'a', 'river', 'rises.', '(end)', '…', '...', '😀', '𝐁', '\ud800', 'İ', '\u212a', 'x'.repeat(40), ' ', ' ', '  ', '\t', '\n', '\n', '\n\n', '\r\n', '\u00a0', '\u2028', '\ufeff', '\u0085', ' \n \n '];
  return Array.from({ length: count }, () => Array.from({ length: Math.floor(rnd() * 120) }, () => pieces[Math.floor(rnd() * pieces.length)]).join(''));
}

const EDGES = ['', ' ', '\n', '\n\n', 'a', ' a ', 'a\n\nb', 'a \n\n b\n', '\n\na', 'a\n \nb', 'word'.repeat(20_000), 'a b '.repeat(3000)];

const span = (t: TextLayout, first: Int32Array, k: number) => t.text.slice(t.wordStart[first[k]], t.wordEnd[first[k + 1] - 1]);

test('char classes equal the regexes they stand for, on every BMP unit and some astral code points', () => {
  for (let c = 0; c < 0x10000; c++) {
    const ch = String.fromCharCode(c);
    const lone = c >= 0xd800 && c <= 0xdfff;
    assert.equal(isSpace(c), /^\s$/u.test(ch), `\\s at ${c.toString(16)}`);
    assert.equal((unitClass(c) & SPACE) !== 0, /^\s$/u.test(ch));
    assert.equal((unitClass(c) & LETTER) !== 0, !lone && /^\p{L}$/u.test(ch), `\\p{L} at ${c.toString(16)}`);
    assert.equal((unitClass(c) & PUNCT_OR_SYMBOL) !== 0, !lone && /^[\p{P}\p{S}]$/u.test(ch), `[\\p{P}\\p{S}] at ${c.toString(16)}`);
  }
  for (const cp of [0x1f600, 0x1d401, 0x20000, 0x10428, 0xe0001, 0x1f1e6]) {
    const ch = String.fromCodePoint(cp);
    assert.equal(astralClass(cp), (/^\p{L}$/u.test(ch) ? LETTER : 0) | (/^[\p{P}\p{S}]$/u.test(ch) ? PUNCT_OR_SYMBOL : 0));
  }
});

test('toLowerCase keeps the properties the filters rely on: never shorter, ASCII only from ASCII, U+212A and U+0130', () => {
  const toAscii: number[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    const lower = ch.toLowerCase();
    assert.ok(lower.length >= ch.length, `U+${cp.toString(16)} lower-cases shorter`);
    if (cp >= 128 && /[\x00-\x7f]/.test(lower)) toAscii.push(cp);
    // Context-free, except for capital sigma (whose two lower-case forms are both non-ASCII).
    if (cp < 0x10000 && cp !== 0x3a3) assert.equal(('A' + ch + 'B').toLowerCase(), 'a' + lower + 'b');
  }
  assert.deepEqual(toAscii, [0x130, 0x212a]);
});

test('the layout splits as the reference splitters do: words, content lines, paragraphs', () => {
  for (const text of [...EDGES, ...texts(400)]) {
    const t = new TextLayout();
    t.scan(text);
    const ws = Array.from({ length: t.wordCount }, (_, i) => text.slice(t.wordStart[i], t.wordEnd[i]));
    assert.deepEqual(ws, words(text), JSON.stringify(text));
    assert.deepEqual(Array.from({ length: t.lineCount }, (_, k) => span(t, t.lineWord, k)), contentLines(text));
    assert.deepEqual(Array.from({ length: t.paraCount }, (_, k) => span(t, t.paraWord, k)), paragraphs(text));
    assert.equal(t.newlines, text.split('\n').length - 1);
    const raw = text.split('\n');
    for (let k = 0; k < t.lineCount; k++) assert.equal(raw[t.lineRaw[k]].trim(), span(t, t.lineWord, k));
    for (let i = 0; i < t.wordCount; i++) assert.equal(t.wordHash[i], wordHash(text, t.wordStart[i], t.wordEnd[i]));
  }
});

test('word ids, repeated lines and paragraphs are exact, with the first occurrence and count of each id', () => {
  for (const text of [...EDGES, ...texts(300, 7)]) {
    const t = new TextLayout();
    t.scan(text);
    const ws = words(text);
    const ids = t.wordIds();
    const seen = new Map<string, number>();
    ws.forEach((w, i) => {
      if (!seen.has(w)) seen.set(w, i);
      assert.equal(ids[i], ids[seen.get(w)!]);
    });
    assert.equal(t.distinctWords, seen.size);
    [...seen.values()].forEach((first, id) => {
      assert.equal(t.idFirst[id], first);
      assert.equal(t.idCount[id], ws.filter((w) => w === ws[first]).length);
    });
    const repeats = (items: string[]) => items.map((x, i) => (items.indexOf(x) < i ? 1 : 0));
    assert.deepEqual([...t.lineRepeats().subarray(0, t.lineCount)], repeats(contentLines(text)));
    assert.deepEqual([...t.paraRepeats().subarray(0, t.paraCount)], repeats(paragraphs(text)));
  }
});

test('joining lines gives the layout a scan of the joined text gives, and the cache serves it', () => {
  const rnd = random(11);
  const layouts = new LayoutCache();
  for (const text of texts(300, 3)) {
    const source = layouts.of(text);
    const lines: (number | string)[] = [];
    for (let k = 0; k < source.lineCount; k++) {
      const r = rnd();
      if (r < 0.5) lines.push(k);
      else if (r < 0.6) lines.push('');
      else if (r < 0.7) lines.push('new words, a river' + (r < 0.65 ? ' 😀' : ''));
    }
    if (rnd() < 0.2) lines.unshift('');
    // With the source's line repeats done, a join of whole lines takes its line repeats from them.
    if (rnd() < 0.7) source.lineRepeats();
    const joined = layouts.join(source, lines);
    const want = lines.map((l) => (typeof l === 'number' ? source.text.slice(source.lineStart(l), source.lineEnd(l)) : l)).join('\n');
    assert.equal(joined, want);
    const derived = layouts.of(joined);
    assert.equal(derived.text, joined);
    assertSameLayout(derived, joined);
    const fresh = new TextLayout();
    fresh.scan(joined);
    assert.deepEqual([...derived.lineRepeats().subarray(0, derived.lineCount)], [...fresh.lineRepeats().subarray(0, fresh.lineCount)]);
    // Joining wrote the other cached layout: the source one still describes its text.
    assert.equal(source.text, text);
    assertSameLayout(source, text);
  }
});

test('a cache joins lines only of a layout it holds', () => {
  const layouts = new LayoutCache();
  const held = layouts.of('one line\ntwo line');
  assert.equal(layouts.join(held, [1]), 'two line');
  const foreign = new TextLayout();
  foreign.scan('one line\ntwo line');
  assert.throws(() => layouts.join(foreign, [0]), /not one this cache holds/);
});

function assertSameLayout(got: TextLayout, text: string): void {
  const want = new TextLayout();
  want.scan(text);
  for (const key of ['wordCount', 'lineCount', 'paraCount', 'newlines'] as const) assert.equal(got[key], want[key], key);
  const arrays = [['wordStart', want.wordCount], ['wordEnd', want.wordCount], ['wordHash', want.wordCount], ['wordFlags', want.wordCount], ['lineWord', want.lineCount + 1], ['lineRaw', want.lineCount], ['paraWord', want.paraCount + 1]] as const;
  for (const [key, n] of arrays) assert.deepEqual([...got[key].subarray(0, n)], [...want[key].subarray(0, n)], `${key} of ${JSON.stringify(text)}`);
}

test('the interners never merge different keys, even when every hash collides', () => {
  const text = 'ab ba ab aab ab ba b a';
  const r = new RangeInterner();
  r.reset(unitsOf(text), 9);
  const ranges = [[0, 2], [3, 5], [6, 8], [9, 12], [13, 15], [16, 18], [19, 20], [21, 22], [0, 1]];
  const ids = ranges.map(([a, b]) => r.intern(a, b, 42));
  assert.deepEqual(ids, [0, 1, 0, 2, 0, 1, 3, 4, 4]);

  // Many pairs through a table reset small, then large, then small again: ids as a string-keyed map gives.
  const p = new PairInterner();
  for (const size of [10, 50_000, 10]) {
    p.reset(size);
    const want = new Map<string, number>();
    const rnd = random(size);
    for (let i = 0; i < size; i++) {
      const a = Math.floor(rnd() * Math.sqrt(size) * 2);
      const b = Math.floor(rnd() * 7);
      if (!want.has(`${a},${b}`)) want.set(`${a},${b}`, want.size);
      assert.equal(p.intern(a, b), want.get(`${a},${b}`));
    }
    assert.equal(p.size, want.size);
  }
});

test('a huge text, then a small one: tables are resized and figures stay exact', () => {
  const huge = Array.from({ length: 200_000 }, (_, i) => `w${i % 150_001}`).join(' ');
  const small = 'a b a b a';
  for (const text of [huge, small, huge]) {
    const t = new TextLayout();
    t.scan(text);
    const ids = t.wordIds();
    const ws = words(text);
    assert.equal(t.distinctWords, new Set(ws).size);
    assert.equal(ids[ws.length - 1], ids[ws.indexOf(ws[ws.length - 1])]);
  }
});

test('n-gram classes give the string-keyed figures, up to n = 12, repeats at the very end included', () => {
  const rnd = random(5);
  const cases: string[][] = [[], ['a'], ['a', 'a'], ['x', 'y', 'x', 'y'], 'p q r s t u v w x y z p q r s t u v w x y z'.split(' ')];
  for (let i = 0; i < 150; i++) {
    const vocab = ['the', 'of', 'a', 'river', 'stone', 'rises', '😀', 'İ'].slice(0, 2 + Math.floor(rnd() * 6));
    cases.push(Array.from({ length: Math.floor(rnd() * 80) }, () => vocab[Math.floor(rnd() * vocab.length)]));
  }
  const g = new NgramClasses();
  for (const ws of cases) {
    const t = new TextLayout();
    t.scan(ws.join(' '));
    g.reset(t);
    for (let n = 1; n <= 12; n++) {
      g.advance();
      const counts = new Map<string, number>();
      const covered = new Uint8Array(ws.length);
      for (let i = 0; i + n <= ws.length; i++) {
        const key = ws.slice(i, i + n).join(' ');
        if (counts.has(key)) covered.fill(1, i, i + n);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      let top = 0;
      for (const [key, c] of counts) if (c > 1) top = Math.max(top, key.replace(/ /g, '').length * c);
      assert.equal(g.topChars, top, `top, n=${n}: ${ws.join(' ')}`);
      assert.equal(g.duplicateChars, ws.reduce((s, w, i) => s + (covered[i] ? w.length : 0), 0), `dup, n=${n}: ${ws.join(' ')}`);
    }
  }
});

test('stop words match as toLowerCase and a set would, for ASCII and other words', () => {
  const lists = [
    ['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with'],
    ['The', 'i̇', 'k', 'ß', 'straße', 'és', 'и', ''],
    [],
    Array.from({ length: 40 }, (_, i) => `w${i}`),
  ];
  const candidates = ['the', 'The', 'THE', 'tHe', 'thee', 'th', 'to', 'TO', 'of', 'OF!', 'İ', 'i̇', 'K', '\u212a', 'k', 'SS', 'STRASSE', 'Straße', 'ÉS', 'И', 'w7', 'W7', 'W39', 'w40', 'and', 'AND', 'with', 'WITH', 'x'];
  for (const list of lists) {
    const stop = new StopWords(list);
    const set = new Set(list);
    for (const w of candidates) {
      const text = `  ${w} `;
      const ascii = [...w].every((c) => c.charCodeAt(0) < 128);
      assert.equal(stop.has(text, 2, 2 + w.length, ascii, wordHash(text, 2, 2 + w.length)), set.has(w.toLowerCase()), `${w} in ${JSON.stringify(list)}`);
    }
  }
});

test('an interner refuses more keys than it was reset for, rather than overfilling its table', () => {
  const r = new RangeInterner();
  r.reset(unitsOf('a b c'), 2);
  r.intern(0, 1, 1);
  r.intern(2, 3, 2);
  assert.equal(r.intern(0, 1, 1), 0, 'a key seen before is still found');
  assert.throws(() => r.intern(4, 5, 3), /more keys/);
  const p = new PairInterner();
  p.reset(1);
  p.intern(1, 2);
  assert.throws(() => p.intern(2, 1), /more keys/);
});
