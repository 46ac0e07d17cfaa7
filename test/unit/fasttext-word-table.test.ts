import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wordHash } from '../../fasttext/word-hash.js';
import { HEAD_HI_MASK, HEAD_LO_MASK, headOf, WordTable } from '../../fasttext/word-table.js';

const latin1 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

// Pairs with equal fastText word hashes: two short words, and two long ones sharing their first 8 bytes.
const SHORT_TWINS = ['7yzx', 'e6ad'];
const LONG_TWINS = ['longword1uzx', 'longwordc2ad'];

test('colliding pairs really share a hash', () => {
  for (const [a, b] of [SHORT_TWINS, LONG_TWINS]) {
    assert.equal(wordHash(Buffer.from(a), 0, a.length), wordHash(Buffer.from(b), 0, b.length));
  }
});

test('the word table finds every word by its bytes and nothing else', () => {
  const words = ['</s>', 'a', 'abcdefg', 'abcdefgh', 'abcdefghi', 'abcdefghij', 'naïve', 'über-große', '日本語のテキスト', SHORT_TWINS[0], LONG_TWINS[0]].map(latin1);
  const table = new WordTable(words);
  const id = (s: string): number => table.idOf(Buffer.from(s, 'utf8'));
  words.forEach((w, i) => assert.equal(table.idOf(Buffer.from(w, 'latin1')), i, w));
  // Prefixes, extensions and hash twins of words are not words.
  for (const s of ['abcdef', 'abcdefgi', 'abcdefghik', 'abcdefghijk', 'abcdefgh\u00e9', 'naïv', '日本語', SHORT_TWINS[1], LONG_TWINS[1], 'longword', '']) {
    assert.equal(id(s), -1, s);
  }
});

test('a later duplicate of a word takes its id, as a Map would', () => {
  assert.equal(new WordTable(['x', 'y', 'x']).idOf(Buffer.from('x')), 2);
});

test("a token's head read from its line equals headOf, for every length", () => {
  const line = Buffer.from('a ab abc abcd abcde abcdef abcdefg abcdefgh abcdefghi é\u00ff        ', 'utf8');
  const view = new DataView(line.buffer, line.byteOffset);
  let from = 0;
  for (let to = 1; to < line.length - 8; to++) {
    if (line[to] !== 0x20) continue;
    const head = Math.min(to - from, 8);
    assert.equal(view.getInt32(from, true) & HEAD_LO_MASK[head], headOf(line, from, to, 0));
    assert.equal(view.getInt32(from + 4, true) & HEAD_HI_MASK[head], headOf(line, from, to, 4));
    from = to + 1;
  }
});
