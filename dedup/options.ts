import { z } from 'zod';

/**
 * The `dedup` stage's options. Defaults are datatrove-like (5-gram words, 128 permutations, threshold 0.8);
 * configs/zyda.yaml sets Zyda's (13-grams, threshold 0.4 → 32 × 4, compat: datasketch).
 */
export const dedupOptions = z
  .strictObject({
    /** Same keep rule as MinHash (opt-in). */
    exact: z.boolean().default(false).describe('exact dedup first (a 128-bit hash of the normalised text)'),
    minhash: z.boolean().default(true).describe('MinHash near-dedup'),
    /** none: the text as it is, Zyda-2's way (NeMo Curator hashes raw character n-grams); only with char_ngram. */
    normalize: z.enum(['zyda', 'datatrove', 'none']).default('zyda').describe('text normalisation before hashing (none: the raw text, with char_ngram)'),
    strip_accents: z.boolean().default(false).describe('drop combining marks after NFD'),
    digits_to_zero: z.boolean().default(false).describe('map every digit to 0'),
    ngram: z.number().int().positive().default(5).describe('words per shingle'),
    /** Zyda-2 used 25. */
    char_ngram: z.number().int().positive().optional().describe('characters per shingle, instead of words'),
    num_perm: z.number().int().min(1).max(1024).default(128).describe('MinHash permutations'),
    threshold: z.number().gt(0).lt(1).default(0.8).describe('Jaccard threshold: picks bands × rows, and the verification cut'),
    bands: z.number().int().positive().optional().describe('LSH bands (with rows, instead of threshold)'),
    rows: z.number().int().positive().optional().describe('LSH rows per band'),
    seed: z.number().int().nonnegative().default(1).describe('permutation seed'),
    /** SHA-1 shingles and datasketch's permutations. */
    compat: z.enum(['fast', 'datasketch']).default('fast').describe("datasketch: Zyda's signatures bit for bit"),
    /** within: pairs from one source only; across: pairs from different sources (Zyda-2's rule); both: all pairs. */
    scope: z.enum(['within', 'across', 'both']).default('both').describe('which pairs count: within a source, across sources, or both'),
    verify: z.boolean().default(false).describe('keep a band collision only if the estimated Jaccard reaches the threshold'),
    /** Their docs always win. */
    index: z.array(z.string().min(1)).default([]).describe('earlier outputs or saved indexes to dedup against (never reread)'),
    /** The index also holds the index entries this run was given, for the next run. */
    save_index: z.union([z.boolean(), z.string().min(1)]).default(false).describe('save an index of the kept docs to this path, or with no path to <output>/dedup/index'),
    cluster_columns: z.boolean().default(false).describe('write dup_cluster_id and dup_cluster_size columns'),
  })
  .refine((o) => (o.bands === undefined) === (o.rows === undefined), 'give bands and rows together, or neither (then threshold picks them)')
  .refine((o) => o.bands === undefined || o.rows === undefined || o.bands * o.rows <= o.num_perm, 'bands × rows must not exceed num_perm')
  .refine((o) => o.exact || o.minhash, 'dedup needs exact, minhash, or both')
  .refine((o) => o.normalize !== 'none' || (o.char_ngram !== undefined && !o.strip_accents && !o.digits_to_zero), 'normalize: none hashes the raw text in character shingles: give char_ngram, without strip_accents or digits_to_zero')
  .refine((o) => o.compat === 'fast' || (o.num_perm <= 256 && o.char_ngram === undefined), 'compat: datasketch supports up to 256 permutations and word n-grams only');

export type DedupOptions = z.output<typeof dedupOptions>;
