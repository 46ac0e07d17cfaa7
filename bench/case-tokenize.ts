import { loadTokenizer } from '../stages/tokenizer.js';
import type { CaseFigures } from './child.js';
import { readDocs } from './docs.js';

/** Docs counted once before timing, so lazy table building and JIT warm-up are not billed to throughput. */
const WARMUP_DOCS = 100;

/** Token counting alone on one thread: the per-core rate that bounds the whole pipeline. */
export async function run([spec, dir, maxDocs]: string[]): Promise<CaseFigures> {
  const limit = Number(maxDocs);
  const texts: string[] = [];
  for await (const batch of readDocs(dir)) {
    for (const d of batch) if (texts.length < limit) texts.push(d.text);
    if (texts.length >= limit) break;
  }
  const tl = performance.now();
  const counter = await loadTokenizer(spec);
  const loadSeconds = (performance.now() - tl) / 1000;
  for (const t of texts.slice(0, WARMUP_DOCS)) counter.count(t);

  let tokens = 0;
  const t0 = performance.now();
  for (const t of texts) tokens += counter.count(t);
  const seconds = (performance.now() - t0) / 1000;

  let textBytes = 0;
  for (const t of texts) textBytes += Buffer.byteLength(t);
  return { seconds, docs: texts.length, text_bytes: textBytes, tokens, extra: { load_seconds: round(loadSeconds) } };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
