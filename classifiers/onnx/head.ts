import type { Classification } from '../classifier.js';

/**
 * A classification head's labels by falling probability. Softmax in float64 from the float32 logits, so the
 * probabilities depend on the logits' bits only; ties keep the model's label order.
 */
export function labelsByProbability(logits: Float32Array, labels: readonly string[]): Classification {
  let max = -Infinity;
  for (const x of logits) max = Math.max(max, x);
  const exps = Array.from(logits, (x) => Math.exp(x - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  const order = labels.map((_, i) => i).sort((a, b) => exps[b] - exps[a] || a - b);
  return { head: 'labels', labels: order.map((i) => labels[i]), probs: order.map((i) => exps[i] / sum) };
}

export function regressionScore(logits: Float32Array): Classification {
  return { head: 'score', score: logits[0] };
}
