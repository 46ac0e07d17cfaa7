// Transformer classifiers through the ONNX backend: the committed fixture models, and random models of the
// real classifiers' sizes made by bench/make_transformer_bench_models.py (skipped when absent).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Case, RunFigures } from './cases.js';
import { FIXTURE_DIR } from './case-classify-onnx.js';
import { runChild } from './measure.js';
import { ROOT, RUNS } from './settings.js';

export const BIG_MODELS_DIR = join(ROOT, 'bench', 'data', 'transformers');
/** Fixture docs run as they are (up to 2,500 chars); the big models get docs long enough to fill 512 tokens. */
const FIXTURE_DOCS = 600;
const BIG_DOCS = 16;
const FULL_CONTEXT_CHARS = 8000;

type Weights = 'packed' | 'shared';

function classifyCase(id: string, input: string, modelDir: string, docs: number, minChars: number, workers: number, weights: Weights, runs: number, skip?: string): Case {
  const shared = weights === 'shared' ? ', shareWeights' : '';
  return {
    id, stage: `classify ${id.split('/')[1]}${shared}`, input, workers, runs, skip,
    note: workers === 1 ? `docs/s on one thread = per core; one session, intra-op threads 1${shared}` : `${workers} worker threads, a session each${shared}: RSS per extra worker`,
    run: async (): Promise<RunFigures> => {
      const r = await runChild(['classify-onnx', modelDir, String(docs), String(minChars), String(workers), weights]);
      return { ...r, bytes: r.text_bytes };
    },
  };
}

export function transformerClassifyCases(): Case[] {
  const fixtures = ['bert-cls', 'deberta-cls'].map((m) => classifyCase(`classify/${m}`, `fixture docs, max 256 tokens`, join(FIXTURE_DIR, m), FIXTURE_DOCS, 0, 1, 'packed', RUNS));
  const big = ['deberta-v3-base', 'bert-base'].flatMap((m) => {
    const dir = join(BIG_MODELS_DIR, m);
    const skip = existsSync(join(dir, 'model.onnx')) ? undefined : `needs ${dir}: run python3 bench/make_transformer_bench_models.py (torch, transformers)`;
    const variants: [number, Weights][] = [[1, 'packed'], [2, 'packed'], [1, 'shared'], [2, 'shared']];
    return variants.map(([w, weights]) =>
      classifyCase(`classify/${m}/512/${w}w${weights === 'shared' ? '/shared' : ''}`, `${BIG_DOCS} docs at 512 tokens`, dir, BIG_DOCS, FULL_CONTEXT_CHARS, w, weights, 1, skip),
    );
  });
  return [...fixtures, ...big];
}
