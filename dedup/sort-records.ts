/**
 * Sorts fixed-width records by their first `keyWords` words as unsigned integers; equal keys keep their
 * order (the row order they were added in), so sorted files are the same on every run.
 */
export function sortRecords(words: Uint32Array, width: number, keyWords: number): Uint32Array {
  const n = words.length / width;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((x, y) => {
    const a = x * width;
    const b = y * width;
    for (let k = 0; k < keyWords; k++) {
      const d = words[a + k] - words[b + k];
      if (d !== 0) return d;
    }
    return x - y;
  });
  const out = new Uint32Array(words.length);
  for (let i = 0; i < n; i++) out.set(words.subarray(order[i] * width, order[i] * width + width), i * width);
  return out;
}

/** Compares the keys of two records held in possibly different arrays. */
export function compareKeys(a: Uint32Array, ai: number, b: Uint32Array, bi: number, keyWords: number): number {
  for (let k = 0; k < keyWords; k++) {
    const d = a[ai + k] - b[bi + k];
    if (d !== 0) return d;
  }
  return 0;
}
