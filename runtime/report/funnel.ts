import type { StageSpec } from '../../core/config-schema.js';
import { sumCounts, type Counts, type SourceAccounting } from '../../core/types.js';

/** One step of the funnel: the docs left after it, and what it removed by reason. */
export interface FunnelStep {
  label: string;
  left: number;
  removed: Counts;
}

/**
 * read → input errors → each stage in the run's order (its drops and duplicates, by `<stage>/<reason>`) →
 * written. Drops are keyed by stage kind, so two stages of one kind show as one step, at the first one's place.
 */
export function funnel(a: SourceAccounting, stages: StageSpec[]): FunnelStep[] {
  const steps: FunnelStep[] = [{ label: 'read', left: a.read, removed: {} }];
  let left = a.read;
  if (sumCounts(a.errored) > 0) {
    left -= sumCounts(a.errored);
    steps.push({ label: 'input errors', left, removed: a.errored });
  }
  const removals: Counts = { ...a.dropped, ...a.duplicates };
  const seen = new Set<string>();
  for (const s of stages) {
    if (seen.has(s.kind)) continue;
    seen.add(s.kind);
    const removed = Object.fromEntries(Object.entries(removals).filter(([r]) => r.startsWith(`${s.kind}/`)));
    left -= sumCounts(removed);
    steps.push({ label: s.kind, left, removed });
  }
  const other = Object.fromEntries(Object.entries(removals).filter(([r]) => !seen.has(r.slice(0, r.indexOf('/')))));
  if (sumCounts(other) > 0) {
    left -= sumCounts(other);
    steps.push({ label: 'other', left, removed: other });
  }
  steps.push({ label: 'written', left: a.written, removed: {} });
  return steps;
}
