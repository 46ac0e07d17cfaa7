import { BUILTIN_FILTERS as FILTERS } from '../filters/builtins.js';
import type { Verdict } from '../core/filter.js';
import type { Doc } from '../core/types.js';
import type { CaseFigures } from './child.js';
import { sampleDocs, textBytes } from './docs.js';

/** The four presets in FineWeb's order, with C4 as FineWeb ran it. */
const CHAIN: [string, Record<string, unknown>][] = [
  ['gopher_repetition', {}],
  ['gopher_quality', {}],
  ['c4', { require_terminal_punct: false }],
  ['fineweb', {}],
];
const WARMUP_DOCS = 200;

/**
 * The FineWeb chain with `words: <mode>` on one thread over a preloaded sample, timed by the process's CPU
 * time (user + system) rather than the wall clock, which other work on a shared machine stretches. As the
 * filter stage runs it: the first drop wins and C4's cleaned text goes on.
 */
export async function run([words, dir, maxDocs]: string[]): Promise<CaseFigures> {
  const docs = await sampleDocs(dir, Number(maxDocs));
  const filters = CHAIN.map(([name, o]) => FILTERS[name].create(FILTERS[name].options.parse({ ...o, words })) as (doc: Doc) => Verdict);
  const decide = (doc: Doc): Verdict => {
    for (const f of filters) {
      const v = f(doc);
      if (!v.keep) return v;
      if (v.text !== undefined && v.text !== doc.text) doc.text = v.text;
    }
    return { keep: true };
  };
  for (const d of docs.slice(0, WARMUP_DOCS)) decide({ ...d });
  const copies = docs.map((d) => ({ ...d }));
  let kept = 0;
  const wall = performance.now();
  const cpu = process.cpuUsage();
  for (const doc of copies) if (decide(doc).keep) kept++;
  const used = process.cpuUsage(cpu);
  const wallSeconds = (performance.now() - wall) / 1000;
  return {
    seconds: (used.user + used.system) / 1e6,
    docs: docs.length,
    text_bytes: textBytes(docs.map((d) => d.text)),
    extra: { wall_seconds: Math.round(wallSeconds * 1000) / 1000, kept_share: kept / docs.length, mean_doc_bytes: Math.round(textBytes(docs.map((d) => d.text)) / docs.length) },
  };
}
