// The tokenizer comparison: zyda's engine next to gpt-tokenizer and @huggingface/tokenizers, in the
// same run, on the same docs. Each (implementation, encoding) is its own case, so each runs in its own
// child process: clean RSS, and no JIT state shared between libraries.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Agreement, Case, RunFigures, Target } from './cases.js';
import type { CorpusSet } from './corpus.js';
import { runChild } from './measure.js';
import { ROOT, RUNS } from './settings.js';

const NEOX = join(ROOT, '..', 'shared', 'data', 'tokenizers', 'gpt-neox-20b.tokenizer.json');

/** Encodings by short name (the name in the row) and the spec each implementation is given. */
const ENCODINGS: Record<string, string> = { gpt2: 'gpt2', cl100k_base: 'cl100k_base', neox: NEOX };

/** Which implementations count which encoding. gpt-tokenizer has no NeoX; hf-tokenizers is the NeoX reference. */
const PAIRS: [impl: string, encoding: string][] = [
  ['zyda', 'gpt2'],
  ['gpt-tokenizer', 'gpt2'],
  ['zyda', 'cl100k_base'],
  ['gpt-tokenizer', 'cl100k_base'],
  ['zyda', 'neox'],
  ['hf-tokenizers', 'neox'],
];

/** The goal is zyda's engine, per core, on every encoding; the other libraries are there for comparison. */
const ZYDA_TARGET: Target = { metric: 'tokens_per_s', op: '>=', value: 3e6 };

const caseId = (impl: string, encoding: string) => `tokenize/${impl}/${encoding}`;

export function tokenizeCases(small: CorpusSet, docs: number): Case[] {
  return PAIRS.map(([impl, encoding]): Case => {
    const spec = ENCODINGS[encoding];
    return {
      id: caseId(impl, encoding),
      stage: `tokenize ${impl} ${encoding}`,
      input: `small, ${docs} docs`,
      workers: 1,
      runs: RUNS,
      target: impl === 'zyda' ? ZYDA_TARGET : undefined,
      skip: spec === NEOX && !existsSync(NEOX) ? `${NEOX} is absent` : undefined,
      note: impl === 'gpt-tokenizer' ? 'tokens/s on one thread = per core; with its default merge cache' : 'tokens/s on one thread = per core',
      run: async (): Promise<RunFigures> => {
        const r = await runChild(['tokenize', impl, spec, small.dir, String(docs)]);
        return { ...r, bytes: r.text_bytes };
      },
    };
  });
}

/** Cases that count the same encoding over the same docs, so their token totals must be equal. */
export const TOKEN_AGREEMENTS: Agreement[] = Object.keys(ENCODINGS).map((encoding) => ({
  encoding,
  cases: PAIRS.filter(([, e]) => e === encoding).map(([impl]) => caseId(impl, encoding)),
}));
