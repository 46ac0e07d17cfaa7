import type { DedupOptions } from './options.js';
import { optimalBands } from './lsh-params.js';

export interface LshShape {
  bands: number;
  rows: number;
}

/**
 * What optimalBands answers for thresholds 0.05–0.95 in steps of 0.05 at 64, 128 and 256 permutations, as
 * `threshold/num_perm` → bands × rows (test/unit/dedup-params.test.ts checks each against the search). The search
 * takes a run's main thread some 15–25 ms before its first task; most configs use one of these.
 */
const KNOWN = new Map<string, string>(
  Object.entries({
    64: '32x1 15x1 32x2 28x2 18x2 21x3 21x3 16x4 16x4 14x4 12x5 10x6 9x7 8x8 7x9 5x11 4x15 3x21 2x32',
    128: '32x1 64x2 51x2 28x2 42x3 37x3 32x4 32x4 25x5 25x5 21x6 18x7 16x8 14x9 11x11 9x13 8x16 5x25 3x42',
    256: '32x1 117x2 51x2 85x3 64x3 64x4 61x4 51x5 47x5 42x6 36x7 32x8 28x9 25x10 21x12 17x15 13x19 9x28 5x51',
  }).flatMap(([perms, shapes]) => shapes.split(' ').map((shape, i): [string, string] => [`${Math.round((i + 1) * 5) / 100}/${perms}`, shape])),
);

/** Every task asks, and the search integrates two areas for every (b, r), so answers are kept per process. */
const shapes = new Map<string, LshShape>();

export function lshShape(o: DedupOptions): LshShape {
  if (o.bands !== undefined && o.rows !== undefined) return { bands: o.bands, rows: o.rows };
  const key = `${o.threshold}/${o.num_perm}`;
  let shape = shapes.get(key);
  if (!shape) shapes.set(key, (shape = knownShape(key) ?? optimalBands(o.threshold, o.num_perm)));
  return shape;
}

function knownShape(key: string): LshShape | undefined {
  const known = KNOWN.get(key);
  if (!known) return undefined;
  const [bands, rows] = known.split('x').map(Number);
  return { bands, rows };
}

/** The table's entries, for its test. */
export const KNOWN_SHAPES: ReadonlyMap<string, string> = KNOWN;
