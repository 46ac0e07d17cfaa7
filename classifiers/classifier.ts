/**
 * What the classify stage asks of a model, whichever backend runs it: text in, a label distribution or a
 * score out. Preprocessing (max_chars, newlines, lowercasing) is the stage's; a backend sees the final text.
 */

/** One doc's result: a classification head's labels by falling probability, or a regression head's score. */
export type Classification = { head: 'labels'; labels: string[]; probs: number[] } | { head: 'score'; score: number };

export interface Classifier {
  readonly backend: 'fasttext' | 'onnx';
  /** Every label the model gives, in the model's own order; empty for a regression head. */
  readonly labels: readonly string[];
  readonly head: 'labels' | 'score';
  /**
   * Results in the order of `texts`. Each result depends on its own text only, never on the other texts of
   * the call, so output is the same whatever the batch cuts (determinism across worker counts and task splits).
   */
  classify(texts: readonly string[]): Classification[] | Promise<Classification[]>;
}
