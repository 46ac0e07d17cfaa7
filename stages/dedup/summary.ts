import type { PhaseReport } from '../../dedup/clusters.js';
import { table } from '../../core/table.js';
import type { DedupReport } from './index.js';

/**
 * A dedup report as tables: per phase, docs removed within each source and across sources, the matrix of
 * which source lost docs to which (rows lost, columns won), cluster sizes, and verification rejections.
 */
export function formatDedupReport(label: string, r: DedupReport): string {
  const out = [`${label}: ${r.docs.toLocaleString('en-US')} docs${r.index_docs ? ` against an index of ${r.index_docs.toLocaleString('en-US')}` : ''}, ${r.empty} empty after normalisation (never duplicates)`];
  const phases: [string, PhaseReport | undefined][] = [['exact', r.exact], ['near', r.near]];
  for (const [name, p] of phases) {
    if (!p) continue;
    const sources = Object.keys(p.removed);
    const winners = [...new Set(Object.values(p.removed_by).flatMap((m) => Object.keys(m)))];
    const rows = sources.map((s) => {
      const by = p.removed_by[s] ?? {};
      const within = by[s] ?? 0;
      return [s, p.removed[s], within, p.removed[s] - within, ...winners.map((w) => by[w] ?? 0)];
    });
    out.push('', `${name} duplicates: ${p.clusters.toLocaleString('en-US')} clusters`);
    out.push(table([`removed (${name})`, 'total', 'within', 'across', ...winners.map((w) => `→ ${w}`)], rows));
    const sizes = Object.entries(p.cluster_sizes).sort(([a], [b]) => parseInt(a, 10) - parseInt(b, 10));
    if (sizes.length > 0) out.push(`cluster sizes: ${sizes.map(([k, v]) => `${k}: ${v}`).join(', ')}`);
  }
  if (r.near) {
    out.push(`LSH ${r.near.bands} bands × ${r.near.rows} rows: ${r.near.band_collisions} band collisions (a pair counts once per band it shares), ${r.near.edges} edges, ${r.near.rejected_by_verification} rejected by verification`);
  }
  return out.join('\n');
}
