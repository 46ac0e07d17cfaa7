import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Classifier } from '../../classifiers/classifier.js';
import { fastTextClassifier } from '../../classifiers/fasttext.js';
import { loadFastTextModel } from '../../fasttext/model-reader.js';
import { sharedOnce } from '../../core/shared-once.js';
import { loadOnnxClassifier } from '../../classifiers/onnx/index.js';
import { modelConfig } from '../../classifiers/onnx/model-config.js';
import { backendOf, preprocessOf, type ClassifyOptions } from './options.js';

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

/** What the config knows of a model's head before loading it. */
export interface HeadInfo {
  head?: 'labels' | 'score';
  labels?: readonly string[];
}

/**
 * A transformer model's head as the ONNX backend will read it from the config.json beside the model (or from
 * the `labels` option), known before loading; unknown when neither says.
 */
export function headBeforeLoading(o: ClassifyOptions): HeadInfo {
  if (backendOf(o.model) === 'fasttext') return { head: 'labels' };
  if (!o.labels && !existsSync(join(dirname(o.model), 'config.json'))) return {};
  const { head, labels } = modelConfig(o.model, o.labels);
  return { head, labels };
}

/**
 * Refuses a keep rule the model cannot answer: a score rule on labels (unless a score label is named), a label rule
 * or a score label on a score, a label it never gives.
 */
export function checkAgainstModel(o: Pick<ClassifyOptions, 'keep' | 'score_label' | 'model'>, info: HeadInfo): void {
  const { keep, score_label: scoreLabel, model } = o;
  if (!info.head) return;
  if (scoreLabel !== undefined && info.head === 'score') throw new Error(`score_label needs a classification head, but ${model} gives a score (regression head)`);
  if (scoreLabel !== undefined && info.labels && info.labels.length > 0 && !info.labels.includes(scoreLabel)) throw new Error(`score_label names ${JSON.stringify(scoreLabel)}, which ${model} never gives (its labels: ${info.labels.join(', ')})`);
  if (keep === 'all') return;
  if ('min_score' in keep && info.head === 'labels' && scoreLabel === undefined) throw new Error(`keep: {min_score} needs a regression head, but ${model} gives labels${info.labels?.length ? ` (${info.labels.join(', ')})` : ''}; keep {label: [..]}, or name score_label`);
  if ('label' in keep && info.head === 'score') throw new Error(`keep: {label} needs a classification head, but ${model} gives a score (regression head); keep {min_score: ..} instead`);
  if ('label' in keep && info.labels && info.labels.length > 0) {
    const unknown = keep.label.filter((l) => !info.labels!.includes(l));
    if (unknown.length > 0) throw new Error(`keep.label names ${unknown.map((l) => JSON.stringify(l)).join(', ')}, which ${model} never gives (its labels: ${info.labels.join(', ')})`);
  }
}
