import { z } from 'zod';
import { zydaTransform } from '../../filters/zyda-transform.js';
import type { StreamingKind } from '../../core/stage.js';

const options = z.strictObject({
  preset: z.enum(['zyda']).default('zyda').describe('transform preset'),
  /** Zyda never transformed StarCoder. */
  skip_sources: z.array(z.string()).default([]).describe('comma-separated sources left untouched'),
});

const PRESETS: Record<z.output<typeof options>['preset'], (text: string) => string> = { zyda: zydaTransform };

/** Rewrites doc.text and keeps the original beside it for filters that measure it. Drops nothing. */
export const transformStage: StreamingKind<z.output<typeof options>> = {
  type: 'streaming',
  kind: 'transform',
  description: "rewrite text: Zyda's collapse of long runs of 13 characters",
  options,
  create(opts) {
    const fn = PRESETS[opts.preset];
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
