import type { ClassifyOptions, Keep } from './options.js';

export type Backend = 'fasttext' | 'onnx';

/** `.bin`/`.ftz`: a supervised fastText model; `.onnx`: a transformer exported to ONNX. */
export function backendOf(model: string): Backend | undefined {
  if (/\.(bin|ftz)$/i.test(model)) return 'fasttext';
  if (/\.onnx$/i.test(model)) return 'onnx';
  return undefined;
}

/** What each backend does to the text unless the config says otherwise. */
export function preprocessOf(o: ClassifyOptions): { newlines: 'space' | 'keep'; lowercase: boolean } {
  const fasttext = backendOf(o.model) === 'fasttext';
  return { newlines: o.preprocess.newlines ?? (fasttext ? 'space' : 'keep'), lowercase: o.preprocess.lowercase ?? false };
}

/** Whether the keep rule or its score reads int_score, which then has a column of its own. */
export function usesIntScore(keep: Keep): boolean {
  return keep !== 'all' && 'min_score' in keep && keep.score === 'int_score';
}
