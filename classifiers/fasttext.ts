import type { Classification, Classifier } from './classifier.js';
import { loadFastTextModel, type FtzModel, type ReadOptions } from '../fasttext/model-reader.js';
import { FastTextPredictor } from '../fasttext/predictor.js';

export interface FastTextClassifierOptions extends ReadOptions {
  /** How many labels each doc gets, most probable first; -1 (the default) or any negative: every label. */
  k?: number;
  /** Labels below this probability are left out, as `fasttext predict-prob`'s threshold (default 0). */
  threshold?: number;
  /**
   * 'end' (the default): a text ends at its first newline, as fastText reads a line. 'space': each newline
   * reads as a space, as if every run of \r and \n had been replaced by one space first.
   */
  newlines?: 'end' | 'space';
}

/**
 * A supervised fastText model (.bin or quantized .ftz, any loss, word n-grams) as a Classifier: each text's
 * labels and probabilities are those `fasttext predict-prob <model> - <k> <threshold>` gives for it, in its
 * order (probabilities are the float32 values it rounds to 6 digits when printing). fastText reads one line:
 * a text is cut at its first newline unless `newlines: 'space'`. A text with no known token or n-gram gets
 * no label at all.
 */
export function loadFastTextClassifier(path: string, opts: FastTextClassifierOptions = {}): Classifier {
  return fastTextClassifier(loadFastTextModel(path, { shared: opts.shared }), opts, path);
}

/**
 * The classifier of a model already read, e.g. one read with `{ shared: true }` in another thread and
 * received by structured clone (its matrices then stay shared, not copied). `name` is for error messages.
 */
export function fastTextClassifier(model: FtzModel, opts: Omit<FastTextClassifierOptions, 'shared'> = {}, name = 'model'): Classifier {
  const k = opts.k ?? -1;
  if (!Number.isInteger(k) || k === 0) throw new Error(`fastText classifier ${name}: k must be a positive integer, or -1 for every label (got ${k})`);
  const threshold = opts.threshold ?? 0;
  let predictor: FastTextPredictor;
  try {
    predictor = new FastTextPredictor(model, { newlines: opts.newlines });
  } catch (e) {
    throw new Error(`${name}: ${(e as Error).message}`);
  }
  return {
    backend: 'fasttext',
    head: 'labels',
    labels: predictor.labels,
    classify(texts: readonly string[]): Classification[] {
      return texts.map((text) => {
        const p = predictor.predictTop(text, k, threshold);
        return { head: 'labels', labels: p.labels.map((l) => predictor.labels[l]), probs: p.probs };
      });
    },
  };
}
