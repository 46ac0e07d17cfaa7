// The FineWeb chain of presets under each `words:` mode: what measuring as datatrove costs.
import type { Case, RunFigures } from './cases.js';
import type { CorpusSet } from './corpus.js';
import { runChild } from './measure.js';
import { RUNS } from './settings.js';

const MODES = ['datatrove', 'whitespace'];

export function presetsWordsCases(small: CorpusSet, docs: number): Case[] {
  return MODES.map((words): Case => ({
    id: `presets-words/${words}`,
    stage: `filter gopher_repetition+gopher_quality+c4+fineweb, words: ${words}`,
    input: `small, ${docs} docs`,
    workers: 1,
    runs: RUNS,
    target: words === 'datatrove' ? { metric: 'docs_per_s', op: '>=', value: 5_000 } : undefined,
    note: 'docs/s per core from the process CPU time, not the wall clock; C4 as FineWeb ran it (require_terminal_punct: false)',
    run: async (): Promise<RunFigures> => {
      const r = await runChild(['presets-words', words, small.dir, String(docs)]);
      return { ...r, bytes: r.text_bytes };
    },
  }));
}

