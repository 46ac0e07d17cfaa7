import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { HotPieceCache } from '../../tokenizers/bpe/hot-cache.js';
import { asciiScannerFor, scanCl100k, scanGpt2, type AsciiScanner } from '../../tokenizers/bpe/ascii-scan.js';
import { CL100K_PATTERN, GPT2_PATTERN } from '../../tokenizers/bpe/patterns.js';
import { compileRustPattern } from '../../tokenizers/bpe/rust-regex.js';
import { needsShared, SHARED } from '../helpers.js';

// The scanners must end every pre-token exactly where the regex does, or decline (-1): checked at every
// position of random strings over the characters where the patterns branch, and of real text.

const CASES: [string, string, AsciiScanner][] = [
  ['gpt2', GPT2_PATTERN, scanGpt2],
  ['cl100k_base', CL100K_PATTERN, scanCl100k],
];

/** Characters each pattern treats specially, plus non-ASCII letters, digits, spaces and marks. */
const ALPHABET = [
  'a', 'Z', 's', 'S', 't', 'd', 'm', 'l', 'L', 'v', 'e', 'r', 'R', '0', '7', "'", '"', '.', ',', '-', '/', '!',
  ' ', ' ', ' ', '\t', '\n', '\r', '\v', '\f', 'é', 'ſ', '٣', '\u00a0', '\u0085', '\u2003', '\uFEFF', '中', '😀', '\u0301',
];

function rng(seed: number): () => number {
  return () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

function checkEveryPosition(name: string, re: RegExp, scan: AsciiScanner, text: string): number {
  const sticky = new RegExp(re.source, 'uy');
  let answered = 0;
  for (let pos = 0; pos < text.length; pos++) {
    const end = scan(text, pos);
    if (end < 0) continue;
    sticky.lastIndex = pos;
    assert.ok(sticky.test(text), `${name}: the regex does not match at ${pos} of ${JSON.stringify(text)}`);
    assert.equal(end, sticky.lastIndex, `${name}: pre-token at ${pos} of ${JSON.stringify(text)}`);
    answered++;
  }
  return answered;
}

for (const [name, pattern, scan] of CASES) {
  const re = compileRustPattern(pattern);

  test(`${name}: the ASCII scanner is the one chosen for its compiled pattern`, () => {
    assert.equal(asciiScannerFor(re), scan);
    assert.equal(asciiScannerFor(compileRustPattern('\\p{L}+|\\s+')), undefined);
  });

  test(`${name}: the ASCII scanner ends every pre-token where the regex does (random strings)`, () => {
    const rnd = rng(name.length * 7919);
    let answered = 0;
    for (let trial = 0; trial < 4000; trial++) {
      const len = 1 + Math.floor(rnd() * 12);
      // Mostly ASCII, so the scanner answers often; sometimes any character of the alphabet.
      const pool = rnd() < 0.5 ? ALPHABET.slice(0, 30) : ALPHABET;
      let text = '';
      for (let i = 0; i < len; i++) text += pool[Math.floor(rnd() * pool.length)];
      answered += checkEveryPosition(name, re, scan, text);
    }
    assert.ok(answered > 10_000, `the scanner answered only ${answered} times`);
  });

  const devDir = join(SHARED, 'data', 'dev');
  test(`${name}: the ASCII scanner ends every pre-token where the regex does (real text)`, { skip: needsShared('data/dev') }, () => {
    let answered = 0;
    for (const f of readdirSync(devDir).filter((f) => f.endsWith('.jsonl.gz')).sort()) {
      const lines = gunzipSync(readFileSync(join(devDir, f))).toString('utf8').split('\n').filter(Boolean).slice(0, 60);
      for (const line of lines) {
        const text = (JSON.parse(line) as { text?: string }).text ?? '';
        answered += checkEveryPosition(name, re, scan, text.slice(0, 3000));
      }
    }
    assert.ok(answered > 10_000, `the scanner answered only ${answered} times`);
  });
}

test('the hot piece cache answers only for the exact characters it holds', () => {
  const cache = new HotPieceCache();
  const text = 'the cat then the';
  const slot = HotPieceCache.hash(text, 0, 3);
  assert.equal(cache.get(slot, text, 0, 3), -1);
  cache.set(slot, 'the', 1);
  assert.equal(cache.get(slot, text, 13, 16), 1, 'the same word elsewhere in the text');
  assert.equal(HotPieceCache.hash(text, 13, 16), slot);
  assert.equal(cache.get(slot, text, 4, 7), -1, 'a different word of the same length, looked up in the same slot, is a miss');
  assert.equal(cache.get(slot, text, 8, 12), -1, 'a longer piece is a miss');
});
