// A zyda filter plugin: keeps a document only when one of its metadata fields holds an allowed value.
// Use it with `plugins: [./metadata-filter.js]` and a stage `filter: {metadata_filter: {field: lang, allowed: [en]}}`.
import { defineFilter, z } from 'zyda';

export default defineFilter({
  name: 'metadata_filter',
  options: z.strictObject({
    field: z.string().min(1),
    allowed: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1),
  }),
  create({ field, allowed }) {
    const ok = new Set(allowed);
    return (doc) => {
      const value = doc.meta[field];
      if (value === undefined) return { keep: false, reason: 'missing_field', features: { field } };
      if (!ok.has(value)) return { keep: false, reason: 'not_allowed', features: { field, value } };
      return { keep: true };
    };
  },
});
