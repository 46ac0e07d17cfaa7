/**
 * mulberry32: tiny, fast and fully determined by its seed, identical on every JS engine because it only uses
 * 32-bit integer operations. Draws are uint32s.
 */
export function mulberry32Uint32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** mulberry32's draws as floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  const next = mulberry32Uint32(seed);
  return () => next() / 4294967296;
}

/** `n` distinct integers of [0, total), uniformly at random for the seed (Floyd's algorithm), in increasing order. */
export function sampleIndices(total: number, n: number, seed: number): number[] {
  const random = mulberry32(seed);
  const picked = new Set<number>();
  for (let j = total - Math.min(n, total); j < total; j++) {
    const t = Math.floor(random() * (j + 1));
    picked.add(picked.has(t) ? j : t);
  }
  return [...picked].sort((a, b) => a - b);
}
