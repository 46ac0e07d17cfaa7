/**
 * fastText's hierarchical softmax output. Labels are the leaves of a Huffman tree
 * built from their training counts; each inner node has an output row, and going right from it has
 * probability sigmoid(row . hidden), left 1 - that. A label's log-probability is the sum along its path.
 *
 * Every step is rounded to float32 where fastText computes in float (its `real`), so scores come out as
 * fastText's: f32 dot products accumulated left to right, a float sigmoid with the reference build's expf,
 * and fastText's `std_log(x) = log(x + 1e-5)` (in double, then rounded) for the log-probabilities.
 */

import { dotRow, sigmoid, stdLog } from './float32.js';
import type { KBest } from './k-best.js';
import type { OutputLayer } from './output-layers.js';

const f32 = Math.fround;

export class HierarchicalSoftmax implements OutputLayer {
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly root: number;
  /** Nodes below this are leaves (labels); the rest are inner nodes. */
  private readonly labels: number;
  /** Scores below log(threshold 0 + 1e-5) are never predicted. */
  private readonly minScore = stdLog(0);
  private bestScore = 0;
  private bestLeaf = -1;

  /**
   * @param counts label counts, most frequent first (the dictionary's order)
   * @param output inner node i's row starts at (i - labels) * dim
   * @param norms each output row's norm when the output matrix keeps them apart (quantized with -qnorm)
   */
  constructor(
    counts: readonly number[],
    private readonly output: Float32Array,
    private readonly norms: Float32Array | undefined,
    private readonly dim: number,
  ) {
    const osz = counts.length;
    if (osz < 2) throw new Error('hierarchical softmax needs at least two labels');
    if (output.length < (osz - 1) * dim) throw new Error('output matrix has too few rows for the label tree');
    const nodes = 2 * osz - 1;
    this.left = new Int32Array(nodes).fill(-1);
    this.right = new Int32Array(nodes).fill(-1);
    const count = new Float64Array(nodes).fill(1e15);
    for (let i = 0; i < osz; i++) count[i] = counts[i];
    // Huffman merge: leaves are taken from the rarest (the end) backwards, merged nodes in creation order;
    // on equal counts the merged node goes first.
    let leaf = osz - 1;
    let node = osz;
    for (let i = osz; i < nodes; i++) {
      const pick = (): number => (leaf >= 0 && count[leaf] < count[node] ? leaf-- : node++);
      const a = pick();
      const b = pick();
      this.left[i] = a;
      this.right[i] = b;
      count[i] = count[a] + count[b];
    }
    this.root = nodes - 1;
    this.labels = osz;
  }

  /** The most probable label's index and its log-probability, given the hidden vector. */
  best(hidden: Float32Array): { label: number; logProb: number } {
    this.bestLeaf = -1;
    this.bestScore = 0;
    this.visit(this.root, 0, hidden);
    return { label: this.bestLeaf, logProb: this.bestScore };
  }

  /**
   * Offers every leaf whose log-probability is at least log(threshold + 1e-5) to `best`, depth first, left
   * before right; a subtree is skipped once its score so far is below that bound or, when `best` is full,
   * below its lowest score.
   */
  kBest(hidden: Float32Array, threshold: number, best: KBest): void {
    this.visitK(this.root, 0, hidden, stdLog(threshold), best);
  }

  private visitK(node: number, score: number, hidden: Float32Array, minScore: number, best: KBest): void {
    if (score < minScore) return;
    if (best.full && score < best.lowest) return;
    if (node < this.labels) {
      best.push(score, node);
      return;
    }
    const p = sigmoid(dotRow(this.output, this.norms, node - this.labels, hidden, this.dim));
    this.visitK(this.left[node], f32(score + stdLog(f32(1 - p))), hidden, minScore, best);
    this.visitK(this.right[node], f32(score + stdLog(p)), hidden, minScore, best);
  }

  /**
   * Depth first, left before right, skipping any subtree whose score so far is already below the best
   * leaf found (log-probabilities only fall going down). A later leaf with an equal score replaces the
   * earlier one, as fastText's heap of size 1 does.
   */
  private visit(node: number, score: number, hidden: Float32Array): void {
    if (score < this.minScore) return;
    if (this.bestLeaf >= 0 && score < this.bestScore) return;
    if (node < this.labels) {
      this.bestLeaf = node;
      this.bestScore = score;
      return;
    }
    const p = sigmoid(dotRow(this.output, this.norms, node - this.labels, hidden, this.dim));
    this.visit(this.left[node], f32(score + stdLog(f32(1 - p))), hidden);
    this.visit(this.right[node], f32(score + stdLog(p)), hidden);
  }
}
