import { z } from 'zod';
import { FILTERS } from '../filters/registry.js';
import type { StreamingKind } from './stage.js';
import type { Doc } from './types.js';

/**
 * The shared filter runner: applies the named filters in order (the first drop wins), skips whole sources,
 * counts drops as `<filter>/<reason>` (the stage runner adds `filter/`), and keeps the features when asked.
 * Options: `{<filter name>: its options, …, skip_sources, features_column}`.
 */
const base = z.strictObject({
  skip_sources: z.array(z.string()).default([]),
  features_column: z.boolean().default(false),
  ...Object.fromEntries(Object.entries(FILTERS).map(([name, def]) => [name, def.options.optional()])),
});

const options = base.refine((o) => Object.keys(FILTERS).some((n) => (o as Record<string, unknown>)[n] !== undefined), {
  message: `name at least one filter: ${Object.keys(FILTERS).join(', ')}`,
});

type Options = z.output<typeof base>;

export const filterStage: StreamingKind<Options> = {
  type: 'streaming',
  kind: 'filter',
  options: options as unknown as z.ZodType<Options>,
  create(opts) {
    const named = opts as unknown as Record<string, unknown>;
    // Filters run in the order the config lists them.
    const filters = Object.keys(named)
      .filter((k) => k in FILTERS && named[k] !== undefined)
      .map((name) => ({ name, decide: FILTERS[name].create(named[name]) }));
    const skip = new Set(opts.skip_sources);
    return {
      process(docs, drops, reject) {
        const kept: Doc[] = [];
        for (const doc of docs) {
          if (skip.has(doc.source)) {
            kept.push(doc);
            continue;
          }
          let dropped: string | undefined;
          for (const { name, decide } of filters) {
            const v = decide(doc);
            if ((opts.features_column || reject) && v.features) doc.features = { ...doc.features, [name]: v.features };
            if (!v.keep) {
              dropped = `${name}/${v.reason}`;
              break;
            }
            if (v.text !== undefined && v.text !== doc.text) {
              doc.original ??= doc.text;
              doc.text = v.text;
            }
          }
          if (dropped === undefined) kept.push(doc);
          else {
            drops[dropped] = (drops[dropped] ?? 0) + 1;
            reject?.(doc, dropped);
          }
        }
        return kept;
      },
    };
  },
};
