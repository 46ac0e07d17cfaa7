import type { DedupOptions } from './options.js';
import { optimalBands } from './lsh-params.js';

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
