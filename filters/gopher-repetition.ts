import { z } from 'zod';
import type { FilterDef, Verdict } from './filter.js';
import { paragraphs, tally, words } from './text-units.js';

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

/** A 52-bit key for the n-gram starting at i; distinct n-grams of one document practically never collide. */
function ngramKey(ids: Int32Array, i: number, n: number): number {
  let h = 0;
  for (let k = 0; k < n; k++) h = (h * 1_000_003 + ids[i + k] + 1) % 4503599627370449;
  return h;
}

function topNgramCharFrac(ws: string[], ids: Int32Array, n: number, totalChars: number): number {
  if (ws.length < n || totalChars === 0) return 0;
  const counts = new Map<number, { count: number; chars: number }>();
  for (let i = 0; i + n <= ws.length; i++) {
    const key = ngramKey(ids, i, n);
    const e = counts.get(key);
    if (e) e.count++;
    else {
      let chars = 0;
      for (let k = 0; k < n; k++) chars += ws[i + k].length;
      counts.set(key, { count: 1, chars });
    }
  }
  let best = 0;
  for (const { count, chars } of counts.values()) if (count > 1) best = Math.max(best, chars * count);
  return best / totalChars;
}

/** Characters of words covered by any n-gram seen more than once; each word counted once. */
function dupNgramCharFrac(ws: string[], ids: Int32Array, n: number, totalChars: number): number {
  if (ws.length < n || totalChars === 0) return 0;
  const seen = new Set<number>();
  const covered = new Uint8Array(ws.length);
  for (let i = 0; i + n <= ws.length; i++) {
    const key = ngramKey(ids, i, n);
    if (seen.has(key)) covered.fill(1, i, i + n);
    else seen.add(key);
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
      for (const [n, max] of Object.entries(o.max_top_ngram_char_frac)) {
        const v = (features[`top_${n}_gram_char_frac`] = topNgramCharFrac(ws, ids, Number(n), totalChars));
        if (v > max) return drop(`top_${n}_gram`);
      }
      for (const [n, max] of Object.entries(o.max_dup_ngram_char_frac)) {
        const v = (features[`dup_${n}_gram_char_frac`] = dupNgramCharFrac(ws, ids, Number(n), totalChars));
        if (v > max) return drop(`dup_${n}_gram`);
      }
      return { keep: true, features };
    };
  },
};
