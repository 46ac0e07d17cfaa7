// A zyda stage plugin: adds an int32 output column `word_count` to every document it sees.
// Use it with `plugins: [./word-count-stage.js]` and a stage `- word_count: {}` (any place in `stages:`).
import { defineStage, z } from 'zyda';

export default defineStage({
  type: 'streaming',
  kind: 'word_count',
  options: z.strictObject({}),
  columns: () => [{ name: 'word_count', type: 'int32', fill: 0 }],
  create() {
    return {
      process(docs) {
        for (const doc of docs) (doc.columns ??= {}).word_count = doc.text.split(/\s+/).filter(Boolean).length;
        return docs;
      },
    };
  },
});
