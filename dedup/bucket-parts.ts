/**
 * The buckets step splits each band (and the exact keys) into parts by key range, so a large input gives the
 * pool more tasks than bands, and each task's keys fit the in-memory sort (merge-in-memory.ts). Keys are
 * hashes, so the first key word is uniform and equal ranges of it hold about equal shares; equal keys share a
 * first word, so every bucket falls in one part. The parts of a band, in order, emit the band's edges in the
 * order one task would.
 *
 * The count follows the input's size, not the worker count (a reduce task is known by its number): a power of
 * two, one part per PART_INPUT_BYTES of input (about 75k docs of zstd-compressed JSON lines), at most MAX_PARTS.
 * Each part reads its band's whole sorted files (a file's checksum covers all of it) and sorts only its range,
 * so every part adds a read of the band, about a tenth of sorting it; MAX_PARTS bounds that. The env var is
 * for tests.
 */
const PART_INPUT_BYTES = Number(process.env.ZYDA_DEDUP_PART_BYTES) || 48 << 20;
const MAX_PARTS = 8;

export function bucketParts(inputBytes: number): number {
  let parts = 1;
  while (parts < MAX_PARTS && (parts * 2) * PART_INPUT_BYTES <= inputBytes) parts *= 2;
  return parts;
}

/** Part `index` of `of`: the first key words in [lo, hi). */
export interface KeyRange {
  lo: number;
  hi: number;
}

export function keyRange(index: number, of: number): KeyRange {
  const span = 2 ** 32 / of;
  return { lo: index * span, hi: (index + 1) * span };
}
