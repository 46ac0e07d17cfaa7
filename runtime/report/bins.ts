import { addCounts, sumCounts } from '../../core/types.js';

/**
 * Fixed histogram bins for any non-negative measure: zero has a bin of its own, and every octave above 2^-40 is
 * cut into BINS_PER_OCTAVE bins at fixed edges. The edges never depend on the data, so histograms of different
 * tasks add up bin by bin and the result is the same whatever the task split.
 */
export const BINS_PER_OCTAVE = 8;
const LOWEST_OCTAVE = -40;
const HIGHEST_OCTAVE = 64;

/** A histogram: bin number → count. Bin numbers are non-negative, so JSON keeps them in numeric order. */
export type Histogram = Record<string, number>;

const EDGES: number[] = (() => {
  const edges: number[] = [];
  for (let i = LOWEST_OCTAVE * BINS_PER_OCTAVE; i <= HIGHEST_OCTAVE * BINS_PER_OCTAVE; i++) edges.push(2 ** (i / BINS_PER_OCTAVE));
  return edges;
})();

/** The bin of `value`: 0 for zero (and negative or non-finite values), else 1 + the index of the edge at or below it. */
export function binOf(value: number): number {
  if (!(value > 0)) return 0;
  if (value < EDGES[0]) return 1;
  let lo = 0;
  let hi = EDGES.length - 1;
  if (value >= EDGES[hi]) return hi + 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (EDGES[mid] <= value) lo = mid;
    else hi = mid;
  }
  return lo + 1;
}

/** The values bin `bin` holds: [lo, hi). */
export function binRange(bin: number): { lo: number; hi: number } {
  if (bin <= 0) return { lo: 0, hi: 0 };
  return { lo: EDGES[bin - 1], hi: EDGES[bin] ?? Infinity };
}

export function addValue(hist: Histogram, value: number): void {
  const b = binOf(value);
  hist[b] = (hist[b] ?? 0) + 1;
}

/** Histograms are counts by bin, so they add up and total like the accounting's counts. */
export const addHistogram = addCounts;
export const histogramTotal = sumCounts;
