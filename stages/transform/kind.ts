import type { StreamingTasks } from '../../core/stage.js';
import type { TransformOptions } from './index.js';

/** The task code, loaded when a task creates the stage. */
export const transformCode = () => import('../../filters/zyda-transform.js');

const PRESETS: Record<TransformOptions['preset'], () => Promise<(text: string) => string>> = {
  zyda: async () => (await transformCode()).zydaTransform,
};

/** Rewrites doc.text and keeps the original beside it for filters that measure it. Drops nothing. */
export const transformTasks: StreamingTasks<TransformOptions> = {
  type: 'streaming',
  kind: 'transform',
  reusable: () => true,
  async create(opts) {
    const fn = await PRESETS[opts.preset]();
    const skip = new Set(opts.skip_sources);
    return {
      process(docs) {
        for (const doc of docs) {
          if (skip.has(doc.source)) continue;
          const text = fn(doc.text);
          if (text !== doc.text) {
            doc.original ??= doc.text;
            doc.text = text;
          }
        }
        return docs;
      },
    };
  },
};
