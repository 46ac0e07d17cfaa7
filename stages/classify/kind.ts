import type { ColumnDef, StreamingTasks } from '../../core/stage.js';
import { usesIntScore } from './derived.js';
import type { ClassifyOptions } from './options.js';

/**
 * Model-based classification: each doc's text goes through a fastText or transformer classifier (classifiers/),
 * which gives a label with its probability or a regression score. The stage writes them as `<name>_label` and
 * `<name>_score` columns and keeps docs by its rule; drops count as `classify/<name>/<why>`. The model file's
 * sha256 (and the tokenizer's) are options of the resolved stage, so they enter every task identity after it.
 */
function columnsOf(o: ClassifyOptions): ColumnDef[] {
  return [
    { name: `${o.name}_label`, type: 'string', fill: '' },
    { name: `${o.name}_score`, type: 'double', fill: 0 },
    ...(usesIntScore(o.keep) ? [{ name: `${o.name}_int_score`, type: 'int32' as const, fill: 0 }] : []),
  ];
}

/** The task code, loaded when a task creates the stage. */
export const classifyCode = () => import('./task.js');

export const classifyTasks: StreamingTasks<ClassifyOptions> = {
  type: 'streaming',
  kind: 'classify',
  columns: columnsOf,
  create: async (o) => (await classifyCode()).createClassify(o),
};
