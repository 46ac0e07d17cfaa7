import { readFileSync } from 'node:fs';
import { loadTokenizer } from '../tokenizers/tokenizer.js';
import type { CaseFigures } from './child.js';
import { sampleDocs, textBytes } from './docs.js';

/** Docs counted once before timing, so lazy table building and JIT warm-up are not billed to throughput. */
const WARMUP_DOCS = 100;

type Count = (text: string) => number;

/**
 * The implementations compared, each loaded the way its own users load it. `encoding` is `gpt2`,
 * `cl100k_base` or a tokenizer.json path; an implementation that lacks one throws.
 * Imports are dynamic so each child loads only the library it measures.
 */
const IMPLEMENTATIONS: Record<string, (encoding: string) => Promise<Count>> = {
  async zyda(encoding) {
    const counter = await loadTokenizer(encoding);
    return (t) => counter.count(t);
  },
  async 'gpt-tokenizer'(encoding) {
    // gpt-tokenizer names GPT-2's encoding r50k_base (its `gpt2` module is the same ranks).
    const mod = encoding === 'gpt2' ? 'r50k_base' : encoding === 'cl100k_base' ? 'cl100k_base' : undefined;
    if (!mod) throw new Error(`gpt-tokenizer has no encoding ${encoding}`);
    const { countTokens } = (await import(`gpt-tokenizer/encoding/${mod}`)) as typeof import('gpt-tokenizer/encoding/cl100k_base');
    // Special-token text counts as plain text, as zyda counts it; gpt-tokenizer would otherwise throw on "<|endoftext|>".
    const opts = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };
    return (t) => countTokens(t, opts);
  },
  async 'hf-tokenizers'(encoding) {
    if (!encoding.endsWith('.json')) throw new Error(`@huggingface/tokenizers needs a tokenizer.json, got ${encoding}`);
    const { Tokenizer } = await import('@huggingface/tokenizers');
    const tok = new Tokenizer(JSON.parse(readFileSync(encoding, 'utf8')) as object, {});
    return (t) => tok.encode(t, { add_special_tokens: false }).ids.length;
  },
};

/** Token counting alone on one thread: the per-core rate that bounds the whole pipeline. */
export async function run([impl, encoding, dir, maxDocs]: string[]): Promise<CaseFigures> {
  const load = IMPLEMENTATIONS[impl];
  if (!load) throw new Error(`unknown tokenizer implementation ${impl}; expected ${Object.keys(IMPLEMENTATIONS).join(', ')}`);
  const texts = (await sampleDocs(dir, Number(maxDocs))).map((d) => d.text);
  const tl = performance.now();
  const count = await load(encoding);
  const loadSeconds = (performance.now() - tl) / 1000;
  // A worker tokenizes millions of docs, so the figure that matters is the steady state: the first quarter
  // warms the JIT and the pre-token cache (timed apart, as the cold figure), the other three quarters are timed.
  const warm = texts.slice(0, Math.max(WARMUP_DOCS, Math.floor(texts.length / 4)));
  const timed = texts.slice(warm.length);
  let coldTokens = 0;
  const tc = performance.now();
  for (const t of warm) coldTokens += count(t);
  const coldSeconds = (performance.now() - tc) / 1000;

  let tokens = 0;
  const t0 = performance.now();
  for (const t of timed) tokens += count(t);
  const seconds = (performance.now() - t0) / 1000;

  // A BOM inside a text is where the implementations are known to differ; count the docs that have one.
  const bomDocs = texts.filter((t) => t.includes('\uFEFF')).length;
  return {
    seconds,
    docs: timed.length,
    text_bytes: textBytes(timed),
    tokens,
    extra: { load_seconds: round(loadSeconds), bom_docs: bomDocs, cold_docs: warm.length, cold_tokens_per_s: Math.round(coldTokens / coldSeconds), all_tokens: coldTokens + tokens },
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
