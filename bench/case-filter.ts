import { BUILTIN_FILTERS as FILTERS } from '../filters/builtins.js';
import type { Verdict } from '../core/filter.js';
import type { Doc } from '../core/types.js';
import type { CaseFigures } from './child.js';
import { sampleDocs, textBytes } from './docs.js';

/** Enough calls for the filters' hot functions to be optimised before the clock starts. */
const WARMUP_DOCS = 200;

/** What langid's "drop share" means here: the docs a `keep: [en]` stage at the default min_score would drop. */
const LANGID_KEEP = 'en';
const LANGID_MIN_SCORE = 0.65;

type Decide = (doc: Doc) => Verdict;

/**
 * One filter, a `+`-joined chain of filters, or `langid`, on one thread over a preloaded sample:
 * docs/s here is the per-core ceiling of a filter or langid stage.
 */
export async function run([name, dir, maxDocs]: string[]): Promise<CaseFigures> {
  const docs = await sampleDocs(dir, Number(maxDocs));
  const tl = performance.now();
  const decide = name === 'langid' ? await langid() : chain(name.split('+'));
  const loadSeconds = (performance.now() - tl) / 1000;

  // A filter may set fields on the doc (C4 rewrites the text), so every call gets its own shallow copy,
  // made before the clock starts: the text strings themselves stay the flat ones the reader produced.
  for (const d of docs.slice(0, WARMUP_DOCS)) decide({ ...d });
  const copies = docs.map((d) => ({ ...d }));

  const drops = new Map<string, number>();
  const t0 = performance.now();
  for (const doc of copies) {
    const v = decide(doc);
    if (!v.keep) drops.set(v.reason, (drops.get(v.reason) ?? 0) + 1);
  }
  const seconds = (performance.now() - t0) / 1000;

  const dropped = [...drops.values()].reduce((a, b) => a + b, 0);
  const top = [...drops].sort((a, b) => b[1] - a[1]).slice(0, 4);
  return {
    seconds,
    docs: docs.length,
    text_bytes: textBytes(docs.map((d) => d.text)),
    extra: {
      load_seconds: Math.round(loadSeconds * 1000) / 1000,
      drop_share: dropped / docs.length,
      top_drop_reasons: top.map(([r, n]) => `${r} ${pct(n / docs.length)}`).join(', '),
    },
  };
}

/**
 * Filters applied in sequence as the filter stage applies them (stages/filter/index.ts): the first drop
 * wins, and a kept doc's cleaned text is what the next filter sees. A drop reason is `<filter>/<reason>`.
 */
function chain(names: string[]): Decide {
  const filters = names.map((n) => {
    const def = FILTERS[n];
    if (!def) throw new Error(`unknown filter ${n}; expected ${Object.keys(FILTERS).join(', ')}`);
    return { name: n, decide: def.create(def.options.parse({})) as Decide };
  });
  if (filters.length === 1) return filters[0].decide;
  return (doc) => {
    for (const { name, decide } of filters) {
      const v = decide(doc);
      if (!v.keep) return { keep: false, reason: `${name}/${v.reason}` };
      if (v.text !== undefined && v.text !== doc.text) {
        doc.original ??= doc.text;
        doc.text = v.text;
      }
    }
    return { keep: true };
  };
}

/** fastText lid.176 through the same predictLanguage the langid stage calls, with the model it loads. */
async function langid(): Promise<Decide> {
  const { predictLanguage } = await import('../stages/langid/task.js');
  const { lid176 } = await import('../langid/lid176.js');
  const model = lid176();
  return (doc) => {
    const { label, score } = predictLanguage(model, doc.text);
    if (label !== LANGID_KEEP) return { keep: false, reason: 'language_not_kept' };
    return score < LANGID_MIN_SCORE ? { keep: false, reason: 'low_score' } : { keep: true };
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
