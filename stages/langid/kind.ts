import type { StreamingTasks } from '../../core/stage.js';
import type { LangidOptions } from './index.js';

/** The task code, loaded when a task creates the stage. */
export const langidCode = () => import('./task.js');

export const langidTasks: StreamingTasks<LangidOptions> = {
  type: 'streaming',
  kind: 'langid',
  reusable: () => true,
  columns: (opts) =>
    opts.columns
      ? [
          { name: 'language', type: 'string', fill: '' },
          { name: 'language_score', type: 'double', fill: 0 },
        ]
      : [],
  create: async (opts) => (await langidCode()).createLangid(opts),
};
