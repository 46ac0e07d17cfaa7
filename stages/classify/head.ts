import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { modelConfig } from '../../classifiers/onnx/model-config.js';
import { backendOf } from './derived.js';
import type { ClassifyOptions } from './options.js';

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
