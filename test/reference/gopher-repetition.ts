// Test oracle: this file as it was before the speed work (branch perf-filt-presets), kept unchanged so the
// new implementation can be compared with it verdict by verdict. Not used by the pipeline.
import { z } from 'zod';
import type { FilterDef, Verdict } from '../../core/filter.js';
import { paragraphs, words } from './text-units.js';

/**
 * Gopher's repetition rules (Rae et al. 2021, table A1): duplicated lines and paragraphs (by count and by
 * characters), the share of characters in the most frequent 2-4-gram, and in duplicated 5-10-grams.
 */
const options = z.strictObject({
  max_dup_line_frac: z.number().default(0.3),
  max_dup_para_frac: z.number().default(0.3),
  max_dup_line_char_frac: z.number().default(0.2),
  max_dup_para_char_frac: z.number().default(0.2),
  /** n → max share of characters in the most frequent n-gram. */
  max_top_ngram_char_frac: z.record(z.string(), z.number()).default({ 2: 0.2, 3: 0.18, 4: 0.16 }),
  /** n → max share of characters inside n-grams that occur more than once. */
  max_dup_ngram_char_frac: z.record(z.string(), z.number()).default({ 5: 0.15, 6: 0.14, 7: 0.13, 8: 0.12, 9: 0.11, 10: 0.1 }),
});

/** Of `items`, the share that repeats an earlier one, by count and by characters. */
function duplicates(items: string[]): { frac: number; charFrac: number } {
  const seen = new Set<string>();
  let dup = 0;
  let dupChars = 0;
  let chars = 0;
  for (const i of items) {
    chars += i.length;
    if (seen.has(i)) {
      dup++;
      dupChars += i.length;
    } else seen.add(i);
  }
  return { frac: items.length ? dup / items.length : 0, charFrac: chars ? dupChars / chars : 0 };
}

/** Words as small integers, so n-grams hash as numbers instead of joined strings. */
function wordIds(ws: string[]): Int32Array {
  const ids = new Map<string, number>();
  const out = new Int32Array(ws.length);
  for (let i = 0; i < ws.length; i++) {
    let id = ids.get(ws[i]);
    if (id === undefined) ids.set(ws[i], (id = ids.size));
    out[i] = id;
  }
  return out;
}

/**
 * Keys of every n-gram, for n = 1, 2, 3, … in turn: `extend` turns the (n−1)-gram keys into n-gram keys in one
 * step per position. Two 32-bit lanes make a 53-bit key, so distinct n-grams of one document practically never
 * collide, and no string is built.
 */
class NgramKeys {
  private a: Uint32Array;
  private b: Uint32Array;
  n = 0;

  constructor(private readonly ids: Int32Array) {
    this.a = new Uint32Array(ids.length);
    this.b = new Uint32Array(ids.length);
  }

  extend(): void {
    const { ids, a, b } = this;
    const n = this.n;
    for (let i = 0; i + n < ids.length; i++) {
      a[i] = Math.imul(a[i] ^ (ids[i + n] + 1), 0x9e3779b1) + 0x7f4a7c15;
      b[i] = Math.imul(b[i] + ids[i + n] + 1, 0x85ebca77) ^ (b[i] >>> 15);
    }
    this.n = n + 1;
  }

  key(i: number): number {
    return this.a[i] * 2097152 + (this.b[i] >>> 11);
  }

  get count(): number {
    return Math.max(0, this.ids.length - this.n + 1);
  }
}

function topNgramCharFrac(ws: string[], keys: NgramKeys, totalChars: number): number {
  const n = keys.n;
  if (ws.length < n || totalChars === 0) return 0;
  const counts = new Map<number, number>();
  const firstAt = new Map<number, number>();
  for (let i = 0; i < keys.count; i++) {
    const k = keys.key(i);
    const c = counts.get(k);
    if (c === undefined) {
      counts.set(k, 1);
      firstAt.set(k, i);
    } else counts.set(k, c + 1);
  }
  let best = 0;
  for (const [k, count] of counts) {
    if (count < 2) continue;
    const i = firstAt.get(k)!;
    let chars = 0;
    for (let j = 0; j < n; j++) chars += ws[i + j].length;
    best = Math.max(best, chars * count);
  }
  return best / totalChars;
}

/** Characters of words covered by any n-gram seen earlier in the doc; each word counted once. */
function dupNgramCharFrac(ws: string[], keys: NgramKeys, totalChars: number): number {
  const n = keys.n;
  if (ws.length < n || totalChars === 0) return 0;
  const seen = new Set<number>();
  const covered = new Uint8Array(ws.length);
  for (let i = 0; i < keys.count; i++) {
    const k = keys.key(i);
    if (seen.has(k)) covered.fill(1, i, i + n);
    else seen.add(k);
  }
  let chars = 0;
  for (let i = 0; i < ws.length; i++) if (covered[i]) chars += ws[i].length;
  return chars / totalChars;
}

export const gopherRepetitionFilter: FilterDef<z.output<typeof options>> = {
  name: 'gopher_repetition',
  options,
  create(o) {
    return (doc): Verdict => {
      const paras = paragraphs(doc.text);
      const ls = doc.text.split(/\n+/).map((l) => l.trim()).filter(Boolean);
      const p = duplicates(paras);
      const l = duplicates(ls);
      const ws = words(doc.text);
      const ids = wordIds(ws);
      const totalChars = ws.reduce((s, w) => s + w.length, 0);
      const features: Record<string, number> = { dup_para_frac: p.frac, dup_para_char_frac: p.charFrac, dup_line_frac: l.frac, dup_line_char_frac: l.charFrac };
      const drop = (reason: string): Verdict => ({ keep: false, reason, features });
      if (p.frac > o.max_dup_para_frac) return drop('dup_para_frac');
      if (p.charFrac > o.max_dup_para_char_frac) return drop('dup_para_char_frac');
      if (l.frac > o.max_dup_line_frac) return drop('dup_line_frac');
      if (l.charFrac > o.max_dup_line_char_frac) return drop('dup_line_char_frac');
      // Both families, by increasing n, so one key array grows from 2-grams to 10-grams.
      const rules = [
        ...Object.entries(o.max_top_ngram_char_frac).map(([n, max]) => ({ n: Number(n), max, top: true })),
        ...Object.entries(o.max_dup_ngram_char_frac).map(([n, max]) => ({ n: Number(n), max, top: false })),
      ].sort((x, y) => x.n - y.n);
      const keys = new NgramKeys(ids);
      for (const r of rules) {
        while (keys.n < r.n) keys.extend();
        const name = `${r.top ? 'top' : 'dup'}_${r.n}_gram`;
        const v = (features[`${name}_char_frac`] = r.top ? topNgramCharFrac(ws, keys, totalChars) : dupNgramCharFrac(ws, keys, totalChars));
        if (v > r.max) return drop(name);
      }
      return { keep: true, features };
    };
  },
};
