import { isDeepStrictEqual } from 'node:util';
import { BUILTIN_FILTERS } from '../filters/builtins.js';
import { zydaTransform } from '../filters/zyda-transform.js';
import type { Decide, Explain } from '../core/filter.js';
import type { Doc } from '../core/types.js';
import { zydaFilter as refFilter } from './reference/zyda/zyda.js';
import { zydaTransform as refTransform } from './reference/zyda/zyda-transform.js';

const zydaFilter = BUILTIN_FILTERS.zyda;

/**
 * The Zyda filter and transform against a frozen copy of the implementation they started from
 * (test/reference/zyda/), which is the oracle: every verdict, reason, features object (key order and
 * number identity included) and transformed text must match. The word lists and the Python-regex port,
 * which the rewrite left as they were, are shared with filters/ rather than copied.
 */
const OPTS = zydaFilter.options.parse({});
const fast = zydaFilter.create(OPTS);
const slow = refFilter.create(refFilter.options.parse({})) as Decide;
const fastExplain = zydaFilter.explain!(OPTS);
const slowExplain = refFilter.explain!(refFilter.options.parse({})) as Explain;

const doc = (text: string, original?: string): Doc => ({ id: 'x', source: 'web', meta: {}, text, ...(original === undefined ? {} : { original }) });

/** JSON.stringify keeps key order; isDeepStrictEqual tells -0 from 0 and NaN from null, which JSON hides. */
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b) && isDeepStrictEqual(a, b);
}

/** Why the new code disagrees with the oracle on one text, or undefined when it agrees everywhere. */
export function disagreement(text: string): string | undefined {
  const t = refTransform(text);
  if (zydaTransform(text) !== t) return 'transformed text';
  // As the filter meets docs: raw, and after the transform stage (text transformed, original kept).
  const views: Doc[] = t === text ? [doc(text)] : [doc(text), doc(t, text)];
  for (const d of views) {
    const a = fast({ ...d });
    const b = slow({ ...d });
    if (!same(a, b)) return `verdict${d.original === undefined ? '' : ' (after transform stage)'}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  }
  if (!same(fastExplain(doc(text)), slowExplain(doc(text)))) return 'explain';
  return undefined;
}
