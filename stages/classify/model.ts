import type { Classifier } from '../../classifiers/classifier.js';
import { fastTextClassifier } from '../../classifiers/fasttext.js';
import { loadFastTextModel } from '../../fasttext/model-reader.js';
import { sharedOnce } from '../../core/shared-once.js';
import { loadOnnxClassifier } from '../../classifiers/onnx/index.js';
import { backendOf, preprocessOf } from './derived.js';
import { checkAgainstModel } from './head.js';
import type { ClassifyOptions } from './options.js';

/** Models this thread has loaded, by file and content: each worker thread loads a model once, whatever the tasks. */
const loaded = new Map<string, Promise<Classifier>>();

/** The stage's model. Unless a score label's probability is asked for, only the top label is read, so fastText predicts one. */
export function classifierFor(o: ClassifyOptions): Promise<Classifier> {
  const k = o.score_label === undefined ? 1 : undefined;
  const newlines = preprocessOf(o).newlines === 'space' ? 'space' : 'end';
  const load = { model: o.model, model_sha256: o.model_sha256, k, newlines, tokenizer: o.tokenizer, tokenizer_sha256: o.tokenizer_sha256, max_tokens: o.max_tokens, labels: o.labels, batch_size: o.batch_size, threads: o.threads, share_weights: o.share_weights };
  const key = JSON.stringify(load);
  let p = loaded.get(key);
  if (!p) {
    p = backendOf(o.model) === 'fasttext'
      ? sharedFastTextModel(o).then((model) => fastTextClassifier(model, { k, newlines }, o.model))
      : loadOnnxClassifier({ model: o.model, tokenizer: o.tokenizer!, maxTokens: o.max_tokens, labels: o.labels, batchSize: o.batch_size, threads: o.threads ?? 1, shareWeights: o.share_weights });
    p = p.then((c) => {
      checkAgainstModel(o, { head: c.head, labels: c.labels });
      return c;
    });
    // A failed load is not kept: the next task reports its own error instead of a stale one.
    p.catch(() => loaded.delete(key));
    loaded.set(key, p);
  }
  return p;
}

/**
 * A fastText model is read once per process into shared memory, whatever the worker threads: a model of
 * several GB would otherwise be one copy per thread.
 */
function sharedFastTextModel(o: ClassifyOptions) {
  return sharedOnce(`fasttext-model:${o.model}:${o.model_sha256 ?? ''}`, () => loadFastTextModel(o.model, { shared: true }));
}
