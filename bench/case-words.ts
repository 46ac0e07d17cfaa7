import { datatroveSentences, datatroveWords } from '../filters/words/spacy-en.js';
import type { CaseFigures } from './child.js';
import { sampleDocs, textBytes } from './docs.js';

/** Enough calls for the tokenizer's hot functions to be optimised (and its substring cache warm) before the clock starts. */
const WARMUP_DOCS = 500;

/** What each mode computes for one text; the total count it returns keeps the work from being optimised away. */
const MODES: Record<string, (text: string) => number> = {
  'datatrove': (text) => datatroveWords(text).length + datatroveSentences(text).length,
  'datatrove-words': (text) => datatroveWords(text).length,
  'whitespace': (text) => text.split(/\s+/).filter((w) => w.length > 0).length,
};

/**
 * Word (and sentence) splitting alone on one thread over a preloaded sample: datatrove's English word tokenizer
 * (filters/words/spacy-en.ts) against a plain whitespace split. Rates are per CPU second of the process over the
 * timed loop, which a loaded machine disturbs less than wall time; `seconds` is that CPU time.
 */
export async function run([mode, dir, maxDocs]: string[]): Promise<CaseFigures> {
  const split = MODES[mode];
  if (!split) throw new Error(`unknown mode ${mode}; expected ${Object.keys(MODES).join(', ')}`);
  const texts = (await sampleDocs(dir, Number(maxDocs))).map((d) => d.text);
  for (const text of texts.slice(0, WARMUP_DOCS)) split(text);

  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let items = 0;
  for (const text of texts) items += split(text);
  const cpu = process.cpuUsage(cpu0);
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const bytes = textBytes(texts);
  return {
    seconds: cpuSeconds,
    docs: texts.length,
    text_bytes: bytes,
    extra: {
      wall_seconds: Math.round(wallSeconds * 1000) / 1000,
      us_per_doc: Math.round((1e6 * cpuSeconds) / texts.length * 10) / 10,
      mean_doc_bytes: Math.round(bytes / texts.length),
      items_per_doc: Math.round((items / texts.length) * 10) / 10,
    },
  };
}
