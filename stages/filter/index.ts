import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import { listValue, repeatValue } from '../../core/flags.js';
import { filterNames, findFilter } from '../../core/registry.js';
import type { StreamingKind } from '../../core/stage.js';
import { filterTasks } from './kind.js';

/**
 * The shared filter runner: applies the named filters in order (the first drop wins), skips whole sources,
 * counts drops as `<filter>/<reason>` (the stage runner adds `filter/`), and keeps the features when asked.
 * Options: `{<filter name>: its options, …, skip_sources, features_column}`.
 */
/** The options schema for the filters registered now (built-ins and plugins), made again when that set grows. */
function optionsSchema() {
  const names = filterNames();
  const key = names.join(',');
  if (cached?.key === key) return cached.schema;
  const base = z.strictObject({
    skip_sources: z.array(z.string()).default([]).describe('comma-separated sources never filtered'),
    features_column: z.boolean().default(false).describe('write what each filter measured as a filtering_features JSON column'),
    ...Object.fromEntries(names.map((name) => [name, findFilter(name)!.options.optional()])),
  });
  const schema = base.refine((o) => names.some((n) => (o as Record<string, unknown>)[n] !== undefined), {
    message: `name at least one filter: ${names.join(', ')}`,
  }) as unknown as z.ZodType<FilterOptions>;
  cached = { key, schema };
  return schema;
}
let cached: { key: string; schema: z.ZodType<FilterOptions> } | undefined;

/** `filters: [zyda, c4]` and `set: ["zyda.min_length=50"]` become `{zyda: {min_length: 50}, c4: {}}`. */
function shapeFilter(o: Record<string, unknown>): void {
  for (const name of (o.filters as string[] | undefined) ?? []) o[name] ??= {};
  for (const kv of (o.set as string[] | undefined) ?? []) {
    const m = /^([a-z0-9_]+)\.([a-z0-9_]+)=(.*)$/.exec(kv);
    if (!m) throw new ConfigError(`--set ${kv}: expected <filter>.<option>=<value>, e.g. zyda.min_length=50`);
    const value: unknown = /^-?\d+(\.\d+)?(e-?\d+)?$/.test(m[3]) ? Number(m[3]) : m[3] === 'true' ? true : m[3] === 'false' ? false : m[3];
    o[m[1]] = { ...(o[m[1]] as Record<string, unknown> | undefined), [m[2]]: value };
  }
  delete o.filters;
  delete o.set;
}

export interface FilterOptions {
  skip_sources: string[];
  features_column: boolean;
}

export const filterStage: StreamingKind<FilterOptions> = {
  ...filterTasks,
  description: 'drop documents by quality rules; every drop is counted by reason',
  get options() {
    return optionsSchema();
  },
  // Each filter's options are an object: the command names filters and sets single thresholds instead.
  cli: {
    flags: [
      { flags: '--filters <list>', key: 'filters', shows: '<filter>', help: 'comma-separated filters, each with default thresholds (zyda)', parse: listValue },
      { flags: '--set <filter.option=value>', key: 'set', shows: '<filter>.<option>', help: 'override a threshold, e.g. zyda.min_length=50 (repeatable)', parse: repeatValue },
    ],
    shape: shapeFilter,
    unflagged: filterNames,
  },
};
