/**
 * fastText's flat output layers, for prediction: softmax over every label, or one sigmoid per label
 * (one-vs-all, and negative sampling, which predicts the same way). Each fills a probability per label,
 * then offers the labels to the k-best heap in label order, skipping those below the threshold and, once
 * the heap is full, those scoring below its lowest.
 */

import { dotRow, stdLog } from './float32.js';
import { expf } from './expf.js';
import type { KBest } from './k-best.js';

const f32 = Math.fround;

export interface OutputLayer {
  /** Offers every label with probability >= `threshold` (a float32 value) to `best`, as fastText does. */
  kBest(hidden: Float32Array, threshold: number, best: KBest): void;
}

abstract class FlatLayer implements OutputLayer {
  protected readonly probs: Float32Array;

  constructor(
    protected readonly output: Float32Array,
    protected readonly norms: Float32Array | undefined,
    protected readonly dim: number,
    labels: number,
  ) {
    if (output.length < labels * dim) throw new Error('output matrix has fewer rows than labels');
    this.probs = new Float32Array(labels);
  }

  protected abstract fill(hidden: Float32Array): void;

  kBest(hidden: Float32Array, threshold: number, best: KBest): void {
    this.fill(hidden);
    const p = this.probs;
    for (let i = 0; i < p.length; i++) {
      if (p[i] < threshold) continue;
      const score = stdLog(p[i]);
      if (best.full && score < best.lowest) continue;
      best.push(score, i);
    }
  }
}

/**
 * Softmax in float32: e^(score - highest score), summed in label order, each divided by the sum. Unlike the
 * other exps of prediction this one is the double-precision exp rounded to float (fastText's build gives
 * that here, and it differs from the float exp on about one value in a thousand).
 */
export class Softmax extends FlatLayer {
  protected fill(hidden: Float32Array): void {
    const p = this.probs;
    for (let i = 0; i < p.length; i++) p[i] = dotRow(this.output, this.norms, i, hidden, this.dim);
    let max = p[0];
    for (let i = 1; i < p.length; i++) if (!(p[i] < max)) max = p[i];
    let z = 0;
    for (let i = 0; i < p.length; i++) {
      p[i] = Math.exp(f32(p[i] - max));
      z = f32(z + p[i]);
    }
    for (let i = 0; i < p.length; i++) p[i] = f32(p[i] / z);
  }
}

/**
 * fastText's tabulated sigmoid: 513 values of 1 / (1 + e^-x) on [-8, 8] in steps of 1/32; a score is looked
 * up by truncating its float32 position in the table, and is 0 below -8 and 1 above 8.
 */
const MAX_SIGMOID = 8;
const SIGMOID_TABLE_SIZE = 512;
const SIGMOID_TABLE = new Float32Array(SIGMOID_TABLE_SIZE + 1);
for (let i = 0; i <= SIGMOID_TABLE_SIZE; i++) {
  const x = f32((i * 2 * MAX_SIGMOID) / SIGMOID_TABLE_SIZE) - MAX_SIGMOID;
  SIGMOID_TABLE[i] = 1 / (1 + expf(-x));
}

function tableSigmoid(x: number): number {
  if (x < -MAX_SIGMOID) return 0;
  if (x > MAX_SIGMOID) return 1;
  const at = f32(f32(f32(f32(x + MAX_SIGMOID) * SIGMOID_TABLE_SIZE) / MAX_SIGMOID) / 2);
  return SIGMOID_TABLE[Math.trunc(at)];
}

/** One independent sigmoid per label (one-vs-all and negative sampling losses). */
export class OneVsAll extends FlatLayer {
  protected fill(hidden: Float32Array): void {
    const p = this.probs;
    for (let i = 0; i < p.length; i++) p[i] = tableSigmoid(dotRow(this.output, this.norms, i, hidden, this.dim));
  }
}
