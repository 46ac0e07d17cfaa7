/** The float32 steps fastText's prediction takes, shared by its output layers. */

import { expf } from './expf.js';

const f32 = Math.fround;

/** log(x + 1e-5) in double, then rounded to float: fastText's log for predicted probabilities. */
export const stdLog = (x: number): number => f32(Math.log(x + 1e-5));

/**
 * Row `row` of a `dim`-wide matrix dotted with `x`, accumulated left to right in float32, then scaled by
 * the row's norm when the matrix keeps norms apart (a quantized output matrix).
 */
export function dotRow(m: Float32Array, norms: Float32Array | undefined, row: number, x: Float32Array, dim: number): number {
  const at = row * dim;
  let dot = 0;
  for (let j = 0; j < dim; j++) dot = f32(dot + f32(m[at + j] * x[j]));
  return norms === undefined ? dot : f32(dot * norms[row]);
}

/** 1 / (1 + e^-x) with the float32 exp, rounded to float: the sigmoid of the hierarchical softmax. */
export const sigmoid = (x: number): number => f32(1 / f32(1 + expf(-x)));
