/**
 * Sorts fixed-width records by their first `keyWords` words as unsigned integers; equal keys keep their
 * order (the row order they were added in), so sorted files are the same on every run.
 */
export function sortRecords(words: Uint32Array, width: number, keyWords: number): Uint32Array {
  const n = words.length / width;
  const order = sortedOrder(words, width, keyWords);
  const out = new Uint32Array(words.length);
  // A loop rather than set(subarray): no view object per record.
  for (let i = 0, o = 0; i < n; i++) for (let k = order[i] * width, end = k + width; k < end; k++) out[o++] = words[k];
  return out;
}

/** The records' indexes in sorted order, for a caller that reads them in place. */
export function sortedOrder(words: Uint32Array, width: number, keyWords: number): Uint32Array {
  const n = words.length / width;
  return n > BUCKETED_MIN ? bucketedOrder(words, width, keyWords, n) : n > 0 ? packedOrder(words, width, keyWords, n) : new Uint32Array(0);
}

/** From this many records, a bucketed sort: its two linear passes beat the native sort's n log n. */
const BUCKETED_MIN = 1 << 16;

/** Records a packed sort handles: the first key word and the index share a double's 53 bits. */
const PACKED_MAX = 1 << 21;

/** Above this many records a bucket of the bucketed sort is sorted by the native sort rather than by insertion. */
const INSERTION_MAX = 32;

/**
 * A stable counting sort on the first key word's top bits (about 4 records a bucket), then each bucket sorted
 * in full. The keys are hashes, so buckets stay small; equal keys share one, already in index order.
 */
function bucketedOrder(words: Uint32Array, width: number, keyWords: number, n: number): Uint32Array {
  const bits = Math.min(20, Math.max(8, Math.floor(Math.log2(n)) - 2));
  const shift = 32 - bits;
  const starts = new Uint32Array((1 << bits) + 1);
  for (let i = 0; i < n; i++) starts[(words[i * width] >>> shift) + 1]++;
  for (let b = 1; b < starts.length; b++) starts[b] += starts[b - 1];
  const next = starts.slice(0, starts.length - 1);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[next[words[i * width] >>> shift]++] = i;
  for (let b = 0; b + 1 < starts.length; b++) {
    const from = starts[b];
    const to = starts[b + 1];
    if (to - from < 2) continue;
    if (to - from > INSERTION_MAX) {
      order.subarray(from, to).sort((x, y) => compareRecords(words, width, keyWords, x, y));
      continue;
    }
    for (let i = from + 1; i < to; i++) {
      const x = order[i];
      let j = i - 1;
      while (j >= from && compareRecords(words, width, keyWords, order[j], x) > 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = x;
    }
  }
  return order;
}

/**
 * Sorts on the first key word with the native Float64Array sort (word · 2^21 + index, no comparator calls),
 * then fixes the rare runs of equal first words with the full comparison: far fewer calls than a comparator sort.
 */
function packedOrder(words: Uint32Array, width: number, keyWords: number, n: number): Uint32Array {
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = words[i * width] * PACKED_MAX + i;
  packed.sort();
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = packed[i] % PACKED_MAX;
  if (keyWords > 1) {
    for (let i = 0; i < n; ) {
      let j = i + 1;
      while (j < n && words[order[j] * width] === words[order[i] * width]) j++;
      if (j - i > 1) order.subarray(i, j).sort((x, y) => compareRecords(words, width, keyWords, x, y));
      i = j;
    }
  }
  return order;
}

function compareRecords(words: Uint32Array, width: number, keyWords: number, x: number, y: number): number {
  const a = x * width;
  const b = y * width;
  for (let k = 0; k < keyWords; k++) {
    const d = words[a + k] - words[b + k];
    if (d !== 0) return d;
  }
  return x - y;
}

/** Compares the keys of two records held in possibly different arrays. */
export function compareKeys(a: Uint32Array, ai: number, b: Uint32Array, bi: number, keyWords: number): number {
  for (let k = 0; k < keyWords; k++) {
    const d = a[ai + k] - b[bi + k];
    if (d !== 0) return d;
  }
  return 0;
}

/** The first record of key-sorted `words` whose first word is at least `value` (the record count if none). */
export function firstAtLeast(words: Uint32Array, width: number, value: number): number {
  let lo = 0;
  let hi = words.length / width;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (words[mid * width] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
