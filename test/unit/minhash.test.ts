import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimatedJaccard, permutations, permutationSeeds, shingleHashes, signature, wordShingles } from '../../dedup/minhash.js';
import { normalizeWords, type NormalizeOptions } from '../../dedup/normalize.js';
import { fixText, fixTextMayChangeAscii } from '../../dedup/fix-text/index.js';
import { normalizedTokens } from '../../dedup/word-hashes.js';
import { fnv1a, hash32 } from '../../core/hash.js';
import { idHash } from '../../dedup/signatures.js';
import { bandKey } from '../../dedup/band-key.js';
import { Kernels } from '../../dedup/kernels.js';
import { sortRecords } from '../../dedup/sort-records.js';

const seeds = permutations(128, 42);
const zyda = (t: string) => normalizeWords(t, { preset: 'zyda' });

test('zyda normalisation: NFC, lowercase, ASCII punctuation removed, whitespace collapsed, nltk contractions', () => {
  assert.deepEqual(zyda('  Hello,   World! It\'s e\u0301t\u00e9 — «oui»  '), ['hello', 'world', 'its', '\u00e9t\u00e9', '—', '«', 'oui', '»']);
  assert.deepEqual(zyda('I cannot, I gonna'), ['i', 'can', 'not', 'i', 'gon', 'na']);
  // nltk's rules match at Python's word boundaries, and its case-blind i matches ı (outputs of nltk itself).
  assert.deepEqual(zyda('cannot\u2026 wanna\u00bb \u00abgonna'), ['can', 'not', '\u2026', 'wan', 'na', '\u00bb', '\u00ab', 'gon', 'na']);
  assert.deepEqual(zyda('x\u00a9cannot cannot\u00bd lemme\u2019s gimme\u00bf wanna\u2026'), ['x\u00a9', 'can', 'not', 'cannot\u00bd', 'lemmes', 'gim', 'me', '\u00bf', 'wanna\u2026']);
  assert.deepEqual(zyda('g\u0131mme \u00a9wanna wanna\u00a9 2cannot x-cannot'), ['g\u0131m', 'me', '\u00a9', 'wan', 'na', 'wanna\u00a9', '2cannot', 'xcannot']);
  assert.deepEqual(normalizeWords('Café 2024!', { preset: 'datatrove', stripAccents: true, digitsToZero: true }), ['cafe', '0000']);
});

test('zyda normalisation starts with fixText: curly quotes, entities and mojibake give the plain words', () => {
  assert.deepEqual(zyda('\u201cWe\u201d know you\u2019ve'), ['we', 'know', 'youve']);
  assert.deepEqual(zyda('caf&eacute; \u00e2\u20ac\u0153caf\u00c3\u00a9\u00e2\u20ac\u009d \uff21\uff22 \ufb01ne'), ['café', 'café', 'ab', 'fine']);
  assert.deepEqual(normalizeWords('\u201cWe\u201d', { preset: 'datatrove' }), ['we']);
});

test('fixText leaves ASCII text alone unless it holds a unit fixTextMayChangeAscii names', () => {
  const codes = Array.from({ length: 128 }, (_, c) => c);
  const safe = String.fromCharCode(...codes.filter((c) => !fixTextMayChangeAscii(c)));
  // A unit above U+007F sends the text through every step, which must leave the other units as they are.
  for (const t of [safe, `${safe}\n${safe}`, `<p>${safe}\n${safe}`, safe.split('').reverse().join('')]) assert.equal(fixText(`${t}é`), `${t}é`);
  // Each unit named is one fixText does change, so the fast paths hand over no more text than they must.
  for (const c of codes.filter(fixTextMayChangeAscii)) {
    const t = c === 0x26 ? 'a&amp;b' : `a${String.fromCharCode(c)}b`;
    assert.notEqual(fixText(t), t, `U+${c.toString(16).padStart(4, '0')}`);
  }
});

test('short docs have one shingle, empty docs none; two empty docs are never near-duplicates', () => {
  assert.equal(shingleHashes(['a', 'b'], 5).length, 1);
  assert.equal(shingleHashes(['a', 'b', 'c', 'd', 'e', 'f'], 5).length, 2);
  assert.notDeepEqual(signature(shingleHashes(['a', 'b'], 5), seeds), signature(shingleHashes(['a', 'c'], 5), seeds));
  assert.equal(signature(shingleHashes([], 5), seeds), undefined);
});

test('signatures are deterministic and estimate Jaccard within the MinHash error', () => {
  let seed = 7;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const vocab = Array.from({ length: 5000 }, (_, i) => `w${i}`);
  let worst = 0;
  let total = 0;
  for (let trial = 0; trial < 60; trial++) {
    const a = Array.from({ length: 400 }, () => vocab[Math.floor(rnd() * vocab.length)]);
    const rate = [0.01, 0.05, 0.1, 0.3, 0.6][trial % 5];
    const b = a.map((w) => (rnd() < rate ? vocab[Math.floor(rnd() * vocab.length)] : w));
    const sa = new Set(shingleHashes(a, 5));
    const sb = new Set(shingleHashes(b, 5));
    const exact = [...sa].filter((x) => sb.has(x)).length / new Set([...sa, ...sb]).size;
    const est = estimatedJaccard(signature(shingleHashes(a, 5), seeds)!, signature(shingleHashes(b, 5), seeds)!);
    worst = Math.max(worst, Math.abs(est - exact));
    total += Math.abs(est - exact);
  }
  assert.ok(total / 60 < 0.035, `mean error ${total / 60}`);
  assert.ok(worst < 0.15, `worst error ${worst}`);
  assert.deepEqual(permutationSeeds(4, 42), permutationSeeds(4, 42));
});

test('the one-pass normaliser gives the same words (as hashes) and text as the readable reference', () => {
  const texts = [
    '  Hello,   World! It\'s e\u0301t\u00e9 — «oui»  ',
    'I cannot, I gonna; CAN-NOT wanna-be constructor toString __proto__',
    'Tabs\tand\nnewlines\u00a0nbsp\u3000ideographic space',
    'Emoji 😀 and 𝒜 math, Café 2024!, «»«a»',
    '«cannot» a«gonna b x»wanna',
    '',
    '!!! ???',
    'Ünïcödé ΑΒΓ δέλτα Ж ж İstanbul',
    '\u201cWe\u201d can\u2019t \u201ccannot\u201d \u00e2\u20ac\u0153gonna\u00e2\u20ac\u009d caf&eacute; AT&amp;T \x1b[31mred\x1b[0m a\r\nb\u0085c \uff21\uff22 \ufb01ne \u00ab\u00bb',
    'Plain ASCII &amp; then CANNOT, AT&T, \x00nul \x7fdel \r\n',
    'x\u00a9cannot cannot\u00bd lemme\u2019s gimme\u00bf wanna\u2026 \u00a9wanna g\u0131mme CANNOT\u2026 x\u00a9can-not',
  ];
  const options: NormalizeOptions[] = [{ preset: 'zyda' }, { preset: 'datatrove' }, { preset: 'datatrove', stripAccents: true, digitsToZero: true }];
  for (const o of options) {
    for (const t of texts) {
      const words = normalizeWords(t, o);
      const fast = normalizedTokens(t, o);
      assert.deepEqual([...fast.words], words.map((w) => fnv1a(w)), `${o.preset}: ${JSON.stringify(t)}`);
      assert.equal(Buffer.from(fast.units.buffer, fast.units.byteOffset, fast.units.byteLength).toString('utf16le'), words.join(' '), `${o.preset}: ${JSON.stringify(t)}`);
    }
  }
});

test('the wasm kernels equal their JS references bit for bit: scan, shingles, SIMD signature', () => {
  let seed = 11;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  for (const k of [128, 112, 7, 1, 130]) {
    const perms = permutations(k, k);
    const kernels = new Kernels(perms);
    for (const n of [1, 3, 500, 20000]) {
      const shingles = Uint32Array.from({ length: n }, rnd);
      assert.deepEqual(kernels.signature(shingles, new Uint32Array(k)), signature(shingles, perms), `k=${k} n=${n}`);
    }
  }
  const jsPerms = permutations(128, 1);
  const kernels = new Kernels(jsPerms);
  const long = Array.from({ length: 30000 }, (_, i) => `Word${i % 977}, «x» ${i % 13 === 0 ? 'cannot' : 'can'}`).join(' ');
  // ASCII texts take wasm's in-place lowercasing; the last two fall back to JS after it has lowered a part.
  const ascii = ['ALL CAPS, MiXeD 123 Zz @[`{ AZaz', 'DIGITS 0123456789 AND Cannot GONNA', 'AT&amp;T CAF&EACUTE; \x1b[1mBOLD\r\nNEXT\x00', 'Cannot &lt;b&gt; gonna'];
  const texts = ['', '!!!', 'Hello, World! «oui» 😀 𝒜 Ünïcödé', '\u201cWe\u201d you\u2019ve \u00e2\u20ac\u2122 caf\u00c3\u00a9 \uff21', 'x\u00a9can-not \u00e9t\u00e9 g\u0131mme wanna\u2026', '\u00e9t\u00e9 gonna\u00a9', 'I cannot go, gonna stay', 'tabs\tand\u00a0nbsp\u3000', long, 'short again', ...ascii, 'ABC DEF É', 'MORE ASCII THEN İ'];
  const variants = [{}, { digitsToZero: true }, { stripAccents: true }];
  for (const preset of ['zyda', 'datatrove'] as const) {
    for (const [t, extra] of texts.flatMap((t) => variants.map((v) => [t, v] as const))) {
      const ref = normalizedTokens(t, { preset, ...extra });
      const refWords = [...ref.words];
      const refUnits = [...ref.units];
      const got = kernels.tokens(t, { preset, ...extra });
      assert.deepEqual([...got.words], refWords, `${preset} ${JSON.stringify(extra)} words: ${t.slice(0, 40)}`);
      assert.deepEqual([...got.units], refUnits, `${preset} units: ${t.slice(0, 40)}`);
      for (const n of [1, 5, 13]) assert.deepEqual([...kernels.shingles(Uint32Array.from(refWords), n)], [...wordShingles(Uint32Array.from(refWords), n)], `${preset} ${n}-shingles`);
      // The fused path, text to signature inside the module, against the JS pieces end to end.
      for (const n of [1, 5, 13]) {
        const out = new Uint32Array(128).fill(7);
        const nw = kernels.wordSignature(t, { preset, ...extra }, n, out);
        assert.equal(nw, refWords.length, `${preset} word count: ${t.slice(0, 40)}`);
        const want = nw === 0 ? new Uint32Array(128).fill(7) : signature(wordShingles(Uint32Array.from(refWords), n), jsPerms)!;
        assert.deepEqual([...out], [...want], `${preset} ${JSON.stringify(extra)} ${n}-gram signature: ${t.slice(0, 40)}`);
      }
    }
  }
});

test('record sort: by all key words, equal keys in row order, for the packed and the comparator paths', () => {
  let seed = 5;
  const rnd = (m: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % m;
  for (const n of [0, 1, 7, 3000]) {
    const width = 3;
    // Few distinct first words, so runs of equal first words (and whole keys) are common.
    const words = Uint32Array.from({ length: n * width }, (_, i) => (i % width === 2 ? Math.floor(i / width) : i % width === 0 ? rnd(5) * 0x40000000 : rnd(4)));
    const sorted = sortRecords(words, width, 2);
    const expect = Array.from({ length: n }, (_, i) => [...words.subarray(i * width, i * width + width)]).sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
    assert.deepEqual([...sorted], expect.flat());
  }
});

test('idHash is hash32 of the id under its two seeds, whatever the id', () => {
  const ids = ['', 'a', 'web/part-00000.jsonl.zst#12345', 'ünï/cödé#7', '😀'.repeat(40), 'x'.repeat(5000)];
  for (const id of ids) assert.deepEqual(idHash(id), [hash32(id, 0x5bd1e995), hash32(id, 0x1b873593)], id.slice(0, 30));
});

test('band keys: equal bands share a key, every value counts, and 200k random bands never collide', () => {
  let seed = 3;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) ^ (seed >>> 13);
  const rows = 13;
  const sig = Uint32Array.from({ length: 2 * rows }, rnd);
  sig.copyWithin(rows, 0, rows);
  const a = new Uint32Array(2);
  const b = new Uint32Array(2);
  bandKey(sig, 0, rows, a, 0);
  bandKey(sig, rows, rows, b, 0);
  assert.deepEqual([...a], [...b], 'the same values at another offset');
  for (let i = 0; i < rows; i++) {
    sig[rows + i] ^= 1 << (i % 32);
    bandKey(sig, rows, rows, b, 0);
    assert.ok(a[0] !== b[0] && a[1] !== b[1], `flipping one bit of value ${i} changes both key words`);
    sig[rows + i] ^= 1 << (i % 32);
  }
  const seen = new Set<string>();
  const band = new Uint32Array(rows);
  for (let n = 0; n < 200_000; n++) {
    for (let i = 0; i < rows; i++) band[i] = rnd();
    bandKey(band, 0, rows, a, 0);
    seen.add(`${a[0]}:${a[1]}`);
  }
  assert.equal(seen.size, 200_000);
});
