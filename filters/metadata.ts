import type { MetadataOptions } from './metadata-options.js';
import type { FilterTask, RuleVerdict, Verdict } from '../core/filter.js';
import type { Doc } from '../core/types.js';

/**
 * Keeps docs by a value their source already carries (a field of the input record): FineWeb-Edu's `int_score`,
 * a language tag, a toxicity score. This is Dolma's attribute filtering for fields that came with the data;
 * Zyda-2 made fwe3 from fwe2 this way.
 */


/** The field's value: a flat key first (metadata_fields keeps dotted names as keys), else the nested path. */
function valueOf(doc: Doc, field: string): unknown {
  if (field in doc.meta) return doc.meta[field];
  let v: unknown = doc.meta;
  for (const key of field.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function verdict(o: MetadataOptions, value: unknown): Verdict {
  if (value === undefined || value === null) return o.missing === 'keep' ? { keep: true } : { keep: false, reason: 'missing' };
  const features = typeof value === 'number' ? { [o.field]: value } : undefined;
  if (o.in && !o.in.includes(value as string | number | boolean)) return { keep: false, reason: 'not_in', features };
  if (o.min !== undefined || o.max !== undefined) {
    if (typeof value !== 'number') return { keep: false, reason: 'not_a_number' };
    if (o.min !== undefined && value < o.min) return { keep: false, reason: 'below_min', features };
    if (o.max !== undefined && value > o.max) return { keep: false, reason: 'above_max', features };
  }
  return { keep: true, features };
}

export const metadataTask: FilterTask<MetadataOptions> = {
  create: (o) => (doc) => verdict(o, valueOf(doc, o.field)),
  rules: (o) => [
    ...(o.min !== undefined ? [{ rule: 'below_min', feature: o.field, bound: o.min, min: true }] : []),
    ...(o.max !== undefined ? [{ rule: 'above_max', feature: o.field, bound: o.max }] : []),
  ],
  explain: (o) => (doc) => {
    const value = valueOf(doc, o.field);
    const shown = typeof value === 'number' ? value : Number.NaN;
    const out: RuleVerdict[] = [];
    if (value === undefined || value === null) return [{ rule: 'missing', value: Number.NaN, threshold: `${o.field} present${o.missing === 'keep' ? ' (or missing: keep)' : ''}`, passed: o.missing === 'keep' }];
    if (o.in) out.push({ rule: 'not_in', value: shown, threshold: `${JSON.stringify(value)} in ${JSON.stringify(o.in)}`, passed: o.in.includes(value as string | number | boolean) });
    if (o.min !== undefined) out.push({ rule: 'below_min', value: shown, threshold: `≥ ${o.min}`, passed: typeof value === 'number' && value >= o.min });
    if (o.max !== undefined) out.push({ rule: 'above_max', value: shown, threshold: `≤ ${o.max}`, passed: typeof value === 'number' && value <= o.max });
    return out;
  },
};
