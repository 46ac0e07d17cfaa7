import { ConfigError } from '../../core/errors.js';
import type { StreamingStage } from '../../core/stage.js';
import type { Doc } from '../../core/types.js';
import { loadFilter, type LoadedFilter } from '../../filters/tasks.js';
import type { FilterOptions } from './index.js';
import { namedFilters } from './kind.js';

async function filterOf(name: string): Promise<LoadedFilter> {
  const def = await loadFilter(name);
  if (!def) throw new ConfigError(`filter ${JSON.stringify(name)} is not registered in this process; a filter that tasks run must come from a plugin (plugins: in the config)`);
  return def;
}

export async function createFilter(opts: FilterOptions): Promise<StreamingStage> {
  const named = opts as unknown as Record<string, unknown>;
  // Filters run in the order the config lists them. One this thread does not know (its plugin was registered
  // in another process only) must stop the task, not be passed over.
  const filters = await Promise.all(namedFilters(opts).map(async (name) => ({ name, decide: await (await filterOf(name)).create(named[name]) })));
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
          // The report's histograms read what the filters measured, whether or not a column keeps it.
          if (v.features) doc.features = { ...doc.features, [name]: v.features };
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
}
