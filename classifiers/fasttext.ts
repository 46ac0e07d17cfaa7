import { readFileSync } from 'node:fs';
import { readFtz } from '../langid/ftz-reader.js';
import { FastTextClassifier } from '../langid/lid176.js';
import type { Classification, Classifier } from './classifier.js';

/**
 * A supervised fastText model as a Classifier, on the lid.176 engine: hierarchical-softmax models only, and the
 * top label only whatever `k` asks. The general fastText backend (softmax, one-vs-all, word n-grams, top k)
 * takes this module's place with the same signature.
 */
export function loadFastTextClassifier(path: string, opts: { k?: number } = {}): Classifier {
  void opts.k;
  const model = readFtz(readFileSync(path));
  const labels = model.entries.slice(model.nwords).map((e) => Buffer.from(e.bytes, 'latin1').toString('utf8').replace(/^__label__/, ''));
  const engine = new FastTextClassifier(model);
  const one = (text: string): Classification => {
    const p = engine.predict(text);
    return p ? { head: 'labels', labels: [p.label], probs: [p.score] } : { head: 'labels', labels: [], probs: [] };
  };
  return { backend: 'fasttext', labels, head: 'labels', classify: (texts) => texts.map(one) };
}
