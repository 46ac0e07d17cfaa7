import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_FILTERS as FILTERS } from '../../filters/builtins.js';
import type { Doc } from '../../core/types.js';
import { PROSE } from '../prose.js';

const doc = (text: string): Doc => ({ id: 'x', text, source: 's', meta: {} });
const run = (name: string, text: string, opts: Record<string, unknown> = {}) => FILTERS[name].create(FILTERS[name].options.parse(opts))(doc(text));
const reason = (name: string, text: string, opts?: Record<string, unknown>) => {
  const v = run(name, text, opts);
  return v.keep ? undefined : v.reason;
};


test('gopher_quality: word count, word length, symbols, stop words, alpha words', () => {
  assert.equal(reason('gopher_quality', PROSE), undefined);
  assert.equal(reason('gopher_quality', 'the river and the sea'), 'too_few_words');
  assert.equal(reason('gopher_quality', PROSE, { min_doc_words: 2000 }), 'too_few_words', 'thresholds are options');
  assert.equal(reason('gopher_quality', PROSE + '\n' + '# # # # # # # # # # # # # # # # # # # #'), 'symbol_word_ratio');
  assert.equal(reason('gopher_quality', 'lorem ipsum dolor sit amet '.repeat(20)), 'few_stop_words');
  assert.equal(reason('gopher_quality', PROSE + '\n' + '12 34 56 78 90 '.repeat(12)), 'non_alpha_words');
});

test('gopher_repetition: duplicated lines, paragraphs and n-grams', () => {
  assert.equal(reason('gopher_repetition', PROSE), undefined);
  assert.equal(reason('gopher_repetition', (PROSE + '\n\n').repeat(3)), 'dup_para_frac');
  assert.equal(reason('gopher_repetition', PROSE + '\n' + 'buy now '.repeat(40)), 'top_2_gram');
  assert.equal(reason('gopher_repetition', PROSE + '\n' + 'buy now and save big today '.repeat(20)), 'top_3_gram', 'its 3-gram covers 20% > 18%');
});

for (const words of ['whitespace', 'datatrove']) {
  test(`c4 (words: ${words}): cleans lines and keeps the cleaned text; drops on lorem ipsum, braces, too few sentences`, () => {
    const page = PROSE + '\nHome | About | Contact\nThis site uses cookies to improve your experience.\nEnable JavaScript to see this page.';
    const v = run('c4', page, { words });
    assert.ok(v.keep);
    assert.equal(v.keep && v.text, PROSE, 'navigation, cookie and javascript lines are removed');
    assert.equal(reason('c4', PROSE + '\nlorem ipsum dolor sit amet.', { words }), 'lorem_ipsum');
    assert.equal(reason('c4', PROSE + '\nThe code is { return 1; }.', { words }), 'curly_bracket');
    assert.equal(reason('c4', PROSE.split('\n').slice(0, 3).join('\n'), { words }), 'too_few_sentences');
  });
}

test('c4 with datatrove words: lorem ipsum and braces count only in a line no line rule removed first', () => {
  // Too short for a line (3 words), and without terminal punctuation: datatrove removes the line before it looks.
  assert.equal(reason('c4', PROSE + '\nlorem ipsum.'), undefined);
  assert.equal(reason('c4', PROSE + '\nfunction f() { return 1; }'), undefined);
  assert.equal(reason('c4', PROSE + '\nfunction f() { return 1; }', { words: 'whitespace' }), 'curly_bracket');
  // Citation markers go before the terminal check, so a line ending in one still ends a sentence.
  const v = run('c4', PROSE + '\nThe bridge was rebuilt in the spring.[12]');
  assert.equal(v.keep && v.text, PROSE + '\nThe bridge was rebuilt in the spring.');
});

test('fineweb: terminal punctuation, short lines, duplicated line chars, newlines per word', () => {
  assert.equal(reason('fineweb', PROSE), undefined);
  assert.equal(reason('fineweb', 'Home\nAbout us\nProducts\nContact\nLogin\nCart\nNews\nHelp\nFAQ\nBlog'), 'line_punct_ratio');
  assert.equal(reason('fineweb', PROSE + '\n' + PROSE.split('\n')[0]), 'dup_line_char_ratio');
});

test('gopher_repetition n-gram figures (whitespace words) equal a string-keyed computation', () => {
  let seed = 3;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const vocab = ['the', 'river', 'stone', 'a', 'of', 'market', 'rises', 'falls', 'today', 'and'];
  for (let trial = 0; trial < 40; trial++) {
    const ws = Array.from({ length: 50 + Math.floor(rnd() * 300) }, () => vocab[Math.floor(rnd() * vocab.length)]);
    const total = ws.reduce((s, w) => s + w.length, 0);
    const v = run('gopher_repetition', ws.join(' '), { words: 'whitespace', max_dup_para_frac: 1, max_dup_line_frac: 1, max_dup_para_char_frac: 1, max_dup_line_char_frac: 1, max_top_ngram_char_frac: { 2: 1, 3: 1, 4: 1 }, max_dup_ngram_char_frac: { 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 10: 1 } });
    const f = v.features as Record<string, number>;
    for (const n of [5, 8, 10]) {
      const seen = new Set<string>();
      const covered = new Uint8Array(ws.length);
      for (let i = 0; i + n <= ws.length; i++) {
        const g = ws.slice(i, i + n).join(' ');
        if (seen.has(g)) covered.fill(1, i, i + n);
        else seen.add(g);
      }
      const want = ws.reduce((s, w, i) => s + (covered[i] ? w.length : 0), 0) / total;
      assert.equal(f[`dup_${n}_gram_char_frac`], want, `trial ${trial}, n=${n}`);
    }
    const counts = new Map<string, number>();
    for (let i = 0; i + 2 <= ws.length; i++) counts.set(ws.slice(i, i + 2).join(' '), (counts.get(ws.slice(i, i + 2).join(' ')) ?? 0) + 1);
    let best = 0;
    for (const [g, c] of counts) if (c > 1) best = Math.max(best, g.replace(/ /g, '').length * c);
    assert.equal(f.top_2_gram_char_frac, best / total, `trial ${trial}, top 2-gram`);
  }
});

test('gopher_repetition n-gram figures (datatrove words) equal datatrove\'s string-keyed computation', () => {
  let seed = 5;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  // Plain lower-case words: each is one word to datatrove's tokenizer too.
  const vocab = ['the', 'river', 'stone', 'a', 'of', 'market', 'rises', 'falls', 'today', 'and'];
  for (let trial = 0; trial < 40; trial++) {
    const ws = Array.from({ length: 50 + Math.floor(rnd() * 300) }, () => vocab[Math.floor(rnd() * vocab.length)]);
    const text = ws.join(' ');
    const v = run('gopher_repetition', text, { max_dup_para_frac: 1, max_dup_line_frac: 1, max_dup_para_char_frac: 1, max_dup_line_char_frac: 1, max_top_ngram_char_frac: { 2: 1, 3: 1, 4: 1 }, max_dup_ngram_char_frac: { 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 10: 1 } });
    const f = v.features as Record<string, number>;
    for (const n of [5, 8, 10]) {
      // find_all_duplicate: a repeat adds its joined characters and the scan jumps past it.
      const seen = new Set<string>();
      let repeated = 0;
      for (let i = 0; i + n <= ws.length; ) {
        const g = ws.slice(i, i + n).join('');
        if (seen.has(g)) {
          repeated += g.length;
          i += n;
        } else {
          seen.add(g);
          i++;
        }
      }
      assert.equal(f[`dup_${n}_gram_char_frac`], repeated / text.length, `trial ${trial}, n=${n}`);
    }
    for (const n of [2, 3, 4]) {
      // find_top_duplicate: the most frequent n-gram (the first seen among ties), joined by spaces, times its count.
      const counts = new Map<string, number>();
      for (let i = 0; i + n <= ws.length; i++) counts.set(ws.slice(i, i + n).join(' '), (counts.get(ws.slice(i, i + n).join(' ')) ?? 0) + 1);
      let top = ['', 0] as [string, number];
      for (const [g, c] of counts) if (c > top[1]) top = [g, c];
      assert.equal(f[`top_${n}_gram_char_frac`], (top[0].length * top[1]) / text.length, `trial ${trial}, top ${n}-gram`);
    }
  }
});
