import { resolve } from 'node:path';
import { ConfigError } from '../../core/errors.js';
import { loadModelEncoder } from '../../tokenizers/model-encoder.js';
import type { Classification, Classifier } from '../classifier.js';
import { equalLengthBatches } from './batches.js';
import { labelsByProbability, regressionScore } from './head.js';
import { modelConfig } from './model-config.js';
import { openSession } from './session.js';

export interface OnnxClassifierOptions {
  /** The model.onnx; a transformers config.json beside it gives the labels, the head type and the token limit. */
  model: string;
  /** The model's tokenizer.json. */
  tokenizer: string;
  /** Tokens per doc, special tokens included; default the config's max_position_embeddings or the model's fixed input length. */
  maxTokens?: number;
  /** Label names in output order, for a model without a config.json (or whose config names them LABEL_i). */
  labels?: string[];
  /** Docs of one token length run together up to this many. */
  batchSize?: number;
  /** onnxruntime intra-op threads for this session. */
  threads?: number;
  /**
   * Keep the weights of a model exported with model.onnx.data mapped from that file, shared by every worker's
   * session, instead of repacked per session for faster matrix products. Other kernels run, so the logits'
   * last bits differ from the default's; they are the same for any batch, worker count or split.
   */
  shareWeights?: boolean;
}

const DEFAULT_BATCH = 16;
/**
 * Tokens in one run: docs at 512 tokens run alone, since batching them gains nothing measurable on CPU and each
 * doc more in a run adds its attention activations to every worker's memory; short docs still run in groups.
 */
const RUN_TOKENS = 512;

function positiveInt(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new ConfigError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * A Hugging Face sequence classifier exported to ONNX, run on CPU. A doc's result depends on its own text only:
 * it runs alone or with docs of the same token length, never padded (see batches.ts).
 */
export async function loadOnnxClassifier(opts: OnnxClassifierOptions): Promise<Classifier> {
  const modelPath = resolve(opts.model);
  const config = modelConfig(modelPath, opts.labels);
  const encoder = await loadModelEncoder(opts.tokenizer);
  const session = await openSession(modelPath, { threads: positiveInt(opts.threads, 'threads', 1), shareWeights: opts.shareWeights === true });
  const limit = config.maxPositions ?? session.fixedTokens;
  if (opts.maxTokens === undefined && limit === undefined) {
    throw new ConfigError(`model ${modelPath}: neither its config.json nor its inputs give a token limit; set max tokens`);
  }
  const maxTokens = positiveInt(opts.maxTokens, 'max tokens', limit!);
  if (session.fixedTokens !== undefined && maxTokens > session.fixedTokens) {
    throw new ConfigError(`model ${modelPath}: takes ${session.fixedTokens} tokens, fewer than max tokens ${maxTokens}`);
  }
  // Without prepacked weights a run of one doc takes another matrix kernel (one row) than a run of several,
  // which changes the last bits; with shared weights every doc therefore runs alone.
  const batchSize = opts.shareWeights ? 1 : positiveInt(opts.batchSize, 'batch size', DEFAULT_BATCH);
  const outputs = config.head === 'score' ? 1 : config.labels.length;
  const toResult = (logits: Float32Array): Classification => {
    if (logits.length !== outputs) {
      throw new ConfigError(`model ${modelPath}: gives ${logits.length} outputs per doc, but its ${config.head === 'score' ? 'regression head has 1' : `labels are ${config.labels.length}`}`);
    }
    return config.head === 'score' ? regressionScore(logits) : labelsByProbability(logits, config.labels);
  };
  return {
    backend: 'onnx',
    labels: config.labels,
    head: config.head,
    async classify(texts) {
      const inputs = texts.map((t) => encoder.encode(t, maxTokens));
      const results = new Array<Classification>(texts.length);
      for (const batch of equalLengthBatches(inputs.map((x) => x.ids.length), batchSize, RUN_TOKENS)) {
        const rows = await session.run(batch.map((i) => inputs[i]));
        batch.forEach((doc, r) => (results[doc] = toResult(rows[r])));
      }
      return results;
    },
  };
}
