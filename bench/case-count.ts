import { threadCpuSeconds } from '../core/cpu-time.js';
import { loadTokenizer } from '../tokenizers/tokenizer.js';
import type { CaseFigures } from './child.js';
import { sampleDocs, textBytes } from './docs.js';

/**
 * gpt2 token counts of preloaded docs, warmed by a first pass: the thread CPU of the second pass. Memory-bound
 * work like the pipeline's (a large piece cache, vocabulary lookups), unlike the spin loop, so two of these at
 * once show how much CPU per doc this machine itself adds when both cores work (shared caches, the host).
 */
export async function run([dir, limit]: string[]): Promise<CaseFigures> {
  const docs = (await sampleDocs(dir, Number(limit))).map((d) => d.text);
  const tok = await loadTokenizer('gpt2');
  let tokens = 0;
  for (const t of docs) tokens += tok.count(t);
  const t0 = threadCpuSeconds();
  for (const t of docs) tok.count(t);
  return { seconds: threadCpuSeconds() - t0, docs: docs.length, text_bytes: textBytes(docs), tokens };
}
