// Word splitting alone: datatrove's English word tokenizer (the `words: datatrove` of the Gopher, C4 and FineWeb
// filters) against a whitespace split, each in its own child process on the same preloaded docs.
import type { Case, RunFigures } from './cases.js';
import type { CorpusSet } from './corpus.js';
import { runChild } from './measure.js';
import { RUNS } from './settings.js';

const NOTES: Record<string, string> = {
  'datatrove': 'datatroveWords + datatroveSentences per doc; docs/s per CPU second on one thread',
  'datatrove-words': 'datatroveWords alone; docs/s per CPU second on one thread',
  'whitespace': 'text.split(/\\s+/), empties dropped: the cost `words: whitespace` starts from',
};

export function wordCases(small: CorpusSet, docs: number): Case[] {
  return Object.entries(NOTES).map(([mode, note]): Case => ({
    id: `words/${mode}`,
    stage: `words ${mode}`,
    input: `small, ${docs} docs`,
    workers: 1,
    runs: RUNS,
    note,
    run: async (): Promise<RunFigures> => {
      const r = await runChild(['words', mode, small.dir, String(docs)]);
      return { ...r, bytes: r.text_bytes };
    },
  }));
}
