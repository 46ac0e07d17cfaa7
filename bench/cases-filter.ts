// Per-filter and per-preset throughput: each filter alone, the usual four-preset chain, and langid,
// each in its own child process on the same preloaded docs.
import { BUILTIN_FILTERS as FILTERS } from '../filters/builtins.js';
import type { Case, RunFigures, Target } from './cases.js';
import type { CorpusSet } from './corpus.js';
import { runChild } from './measure.js';
import { RUNS } from './settings.js';

/** The presets a web corpus is usually filtered with, in the order a config would list them. */
export const PRESET_CHAIN = 'gopher_repetition+gopher_quality+c4+fineweb';

const perCore = (value: number): Target => ({ metric: 'docs_per_s', op: '>=', value });

/** Docs/s per core; the other single filters have no goal of their own, the chain they form does. */
const TARGETS: Record<string, Target> = {
  zyda: perCore(20_000),
  // At their default `words: datatrove`; presets-words/* sets it against `words: whitespace`.
  [PRESET_CHAIN]: perCore(5_000),
  langid: perCore(2_400),
};

export function filterCases(small: CorpusSet, docs: number): Case[] {
  const names = [...Object.keys(FILTERS), PRESET_CHAIN, 'langid'];
  return names.map((name): Case => ({
    id: `filter/${name}`,
    stage: name === 'langid' ? 'langid' : `filter ${name}`,
    input: `small, ${docs} docs`,
    workers: 1,
    runs: RUNS,
    target: TARGETS[name],
    note: name === 'langid' ? 'docs/s on one thread = per core; drops as keep: [en], min_score 0.65' : name === PRESET_CHAIN ? 'docs/s on one thread = per core; in sequence, first drop wins' : 'docs/s on one thread = per core',
    run: async (): Promise<RunFigures> => {
      const r = await runChild(['filter', name, small.dir, String(docs)]);
      return { ...r, bytes: r.text_bytes };
    },
  }));
}
