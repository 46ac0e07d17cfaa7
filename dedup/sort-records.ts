/**
 * Sorts fixed-width records by their first `keyWords` words as unsigned integers; equal keys keep their
 * order (the row order they were added in), so sorted files are the same on every run.
 */
export function sortRecords(words: Uint32Array, width: number, keyWords: number): Uint32Array {
  const n = words.length / width;
  const order = n > 0 && n <= PACKED_MAX ? packedOrder(words, width, keyWords, n) : comparatorOrder(words, width, keyWords, n);
  const out = new Uint32Array(words.length);
  // A loop rather than set(subarray): no view object per record.
  for (let i = 0, o = 0; i < n; i++) for (let k = order[i] * width, end = k + width; k < end; k++) out[o++] = words[k];
  return out;
}

/** Records a packed sort handles: the first key word and the index share a double's 53 bits. */
const PACKED_MAX = 1 << 21;

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

function comparatorOrder(words: Uint32Array, width: number, keyWords: number, n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order.sort((x, y) => compareRecords(words, width, keyWords, x, y));
}

/** Compares the keys of two records held in possibly different arrays. */
export function compareKeys(a: Uint32Array, ai: number, b: Uint32Array, bi: number, keyWords: number): number {
  for (let k = 0; k < keyWords; k++) {
    const d = a[ai + k] - b[bi + k];
    if (d !== 0) return d;
  }
  return 0;
}
