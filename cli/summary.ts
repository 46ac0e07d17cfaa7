import { formatBytes } from '../core/bytes.js';
import type { Manifest } from '../runtime/manifest.js';
import { sumCounts } from '../core/types.js';
import { table } from '../core/table.js';
import { findStageKind } from '../core/registry.js';

/** The table `zyda run` prints at the end and `zyda stats` prints from a manifest. */
export function formatSummary(m: Manifest): string {
  const rows = Object.entries(m.sources).map(([name, s]) => [name, s.rank, s.docs, s.tokens, formatBytes(s.text_bytes), s.shards.length, formatBytes(s.bytes)]);
  rows.push(['total', '', m.totals.docs, m.totals.tokens, formatBytes(m.totals.text_bytes), m.totals.shards, formatBytes(m.totals.bytes)]);
  const out = [table(['source', 'rank', 'docs', 'tokens', 'text', 'shards', 'parquet'], rows)];

  const a = m.accounting;
  // Manifests from before dedup have no duplicates field.
  const dups = (s: { duplicates?: Record<string, number> }) => sumCounts(s.duplicates ?? {});
  const acc: (string | number)[][] = Object.entries(a.by_source).map(([name, s]) => [name, s.read, s.written, sumCounts(s.dropped), dups(s), sumCounts(s.errored)]);
  acc.push(['total', a.read, a.written, sumCounts(a.dropped), dups(a), sumCounts(a.errored)]);
  out.push('', table(['accounting', 'read', 'written', 'dropped', 'duplicates', 'errored'], acc));

  const reasons = [...Object.entries(a.dropped).map(([k, v]) => [`dropped  ${k}`, v]), ...Object.entries(a.errored).map(([k, v]) => [`errored  ${k}`, v])] as [string, number][];
  if (reasons.length > 0) out.push('', table(['reason', 'docs'], reasons.sort((x, y) => y[1] - x[1])));
  for (const [label, report] of Object.entries(m.reports ?? {})) {
    // A report's label is <index>-<kind>; a kind this process has not loaded (a plugin's) prints none.
    const kind = findStageKind(label.slice(label.indexOf('-') + 1));
    if (kind?.type === 'barrier' && kind.formatReport) out.push('', kind.formatReport(report, label));
  }
  for (const w of m.warnings) out.push(`warning: ${w.message}`);
  out.push('', `tokenizer ${m.tokenizer} · ${m.totals.docs.toLocaleString('en-US')} docs · ${m.totals.tokens.toLocaleString('en-US')} tokens · ${m.timings.total ?? '?'} s`);
  return out.join('\n');
}
