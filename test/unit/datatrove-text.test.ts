import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codePoints, isPySpace, pyStrip, splitlinesRanges, splitWords } from '../../filters/python-text.js';
import { PY_SPACE } from '../../filters/python-regex.js';
import { SPACY_EN_RULES } from '../../filters/words/spacy-en-rules.js';
import { PUNCTUATION_SET, TERMINAL_PUNCTUATION } from '../../filters/datatrove/punctuation.js';

// Expected values are Python 3.11's, printed by the interpreter.

test("str.splitlines(): every line break Python knows, \\r\\n as one, no empty line after the last break", () => {
  const lines = (s: string) => {
    const r = splitlinesRanges(s);
    return Array.from({ length: r.length / 2 }, (_, k) => s.slice(r[2 * k], r[2 * k + 1]));
  };
  assert.deepEqual(lines('a\r\nb\rc\nd\x0be\x0cf\x1cg\x1dh\x1ei\x85j\u2028k\u2029l\n'), [...'abcdefghijkl']);
  assert.deepEqual(lines('\n\nx\n'), ['', '', 'x']);
  assert.deepEqual(lines(''), []);
  assert.deepEqual(lines('x\r\n\r\ny'), ['x', '', 'y']);
  assert.deepEqual(lines('end\n\n'), ['end', '']);
});

test("str.isspace() by UTF-16 unit: the set Python printed (spacy-en-rules.ts) and the regex class the Zyda filter's scans use", () => {
  const python = new Set([...SPACY_EN_RULES.space_chars].map((c) => c.charCodeAt(0)));
  const regex = new RegExp(`^[${PY_SPACE}]$`, 'u');
  for (let c = 0; c < 65536; c++) {
    assert.equal(isPySpace(c), python.has(c), `U+${c.toString(16)}: Python`);
    assert.equal(isPySpace(c), regex.test(String.fromCharCode(c)), `U+${c.toString(16)}: PY_SPACE`);
  }
});

test('str.strip() and str.split(): Python whitespace, not JS whitespace; lengths in code points', () => {
  assert.equal(pyStrip('\x1c\x1f hi \x85\u3000'), 'hi');
  assert.equal(pyStrip('\ufeffhi\ufeff'), '\ufeffhi\ufeff', 'U+FEFF is no whitespace to Python');
  assert.equal(pyStrip(' \t\n'), '');
  assert.deepEqual(splitWords('a  b\x1fc', 0, 6, 1), { words: 3, overLong: false });
  const emoji = 'x\u00a0y 😀😀😀';
  assert.deepEqual(splitWords(emoji, 0, emoji.length, 3), { words: 3, overLong: false }, 'three code points, six units');
  assert.deepEqual(splitWords(emoji, 0, emoji.length, 2), { words: 3, overLong: true });
  assert.equal(codePoints('😀a\ud800'), 3, 'a pair is one, a lone surrogate one');
});

test("datatrove's punctuation sets: their sizes, and members from several scripts", () => {
  // len(TERMINAL_PUNCTUATION) == 159, len(set(PUNCTUATION)) == 129, len(PUNCTUATION_SET) == 281.
  assert.equal(TERMINAL_PUNCTUATION.size, 159);
  assert.equal(PUNCTUATION_SET.size, 281);
  for (const c of ['.', '?', '!', '。', '۔', '।', '\u{11f43}']) assert.ok(TERMINAL_PUNCTUATION.has(c.codePointAt(0)!), c);
  for (const c of [',', '"', '«', '—', '\x00', '\x7f', '\x9f', '►']) assert.ok(PUNCTUATION_SET.has(c.codePointAt(0)!), JSON.stringify(c));
  for (const c of ['\t', '\n', 'a', '1', '¿', '\u00a0']) assert.ok(!PUNCTUATION_SET.has(c.codePointAt(0)!), JSON.stringify(c));
});
