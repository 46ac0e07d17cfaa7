import { z } from 'zod';
import { optimalBands } from './lsh-params.js';

/**
 * The `dedup` stage's options. Defaults are datatrove-like (5-gram words, 128 permutations, threshold 0.8);
 * configs/zyda.yaml sets Zyda's (13-grams, threshold 0.4 → 32 × 4, compat: datasketch).
 */
export const dedupOptions = z
  .strictObject({
    /** Exact dedup on a 128-bit hash of the normalised text, before MinHash, with the same keep rule (opt-in). */
    exact: z.boolean().default(false),
    minhash: z.boolean().default(true),
    normalize: z.enum(['zyda', 'datatrove']).default('zyda'),
    strip_accents: z.boolean().default(false),
    digits_to_zero: z.boolean().default(false),
    ngram: z.number().int().positive().default(5),
    /** Character n-grams instead of words (Zyda-2 used 25). */
    char_ngram: z.number().int().positive().optional(),
    num_perm: z.number().int().min(1).max(1024).default(128),
    threshold: z.number().gt(0).lt(1).default(0.8),
    bands: z.number().int().positive().optional(),
    rows: z.number().int().positive().optional(),
    seed: z.number().int().nonnegative().default(1),
    /** `datasketch` reproduces Zyda's signatures bit for bit (SHA-1 shingles, datasketch's permutations). */
    compat: z.enum(['fast', 'datasketch']).default('fast'),
    /** within: pairs from one source only; across: pairs from different sources (Zyda-2's rule); both: all pairs. */
    scope: z.enum(['within', 'across', 'both']).default('both'),
    /** Count a band collision as an edge only when the signatures' estimated Jaccard reaches the threshold. */
    verify: z.boolean().default(false),
    /** Earlier zyda outputs or saved indexes to dedup against; their docs always win and are never reread. */
    index: z.array(z.string().min(1)).default([]),
    /** Save an index of this run's surviving docs (plus the index entries it was given) for later runs: a path, or true for <output>/dedup/index. */
    save_index: z.union([z.boolean(), z.string().min(1)]).default(false),
    /** Add `dup_cluster_id` and `dup_cluster_size` columns to the output. */
    cluster_columns: z.boolean().default(false),
  })
  .refine((o) => (o.bands === undefined) === (o.rows === undefined), 'give bands and rows together, or neither (then threshold picks them)')
  .refine((o) => o.bands === undefined || o.rows === undefined || o.bands * o.rows <= o.num_perm, 'bands × rows must not exceed num_perm')
  .refine((o) => o.exact || o.minhash, 'dedup needs exact, minhash, or both')
  .refine((o) => o.compat === 'fast' || (o.num_perm <= 256 && o.char_ngram === undefined), 'compat: datasketch supports up to 256 permutations and word n-grams only');

export type DedupOptions = z.output<typeof dedupOptions>;

export interface LshShape {
  bands: number;
  rows: number;
}

/** Every task asks, and the search integrates two areas for every (b, r), so answers are kept per process. */
const shapes = new Map<string, LshShape>();

export function lshShape(o: DedupOptions): LshShape {
  if (o.bands !== undefined && o.rows !== undefined) return { bands: o.bands, rows: o.rows };
  const key = `${o.threshold}/${o.num_perm}`;
  let shape = shapes.get(key);
  if (!shape) shapes.set(key, (shape = optimalBands(o.threshold, o.num_perm)));
  return shape;
}
