import type { Classifier } from '../classifier.js';

export interface OnnxClassifierOptions {
  model: string;
  tokenizer: string;
  maxTokens?: number;
  labels?: string[];
  batchSize?: number;
  threads?: number;
}

/** Transformer classifiers exported to ONNX. This build has no ONNX backend: loading one says so. */
export async function loadOnnxClassifier(opts: OnnxClassifierOptions): Promise<Classifier> {
  throw new Error(`${opts.model}: transformer (ONNX) classifiers are not available in this build of zyda`);
}
