import type { StageSpec } from '../../core/config-schema.js';
import type { ThresholdRule } from '../../core/filter.js';
import { loadFilter } from '../../filters/tasks.js';
import { addHistogram, type Histogram } from './bins.js';

/**
 * What a run gathers for its report, per source: bounded whatever the corpus size (fixed-bin histograms, a few
 * example docs per reason) and the same whatever the worker count or task split (examples are the docs with the
 * smallest hash of their id, histograms add up bin by bin).
 */
export interface ReportData {
  format: 1;
  /** Example docs kept per drop reason and of the kept docs, per source. */
  examples_per_reason: number;
  snippet_chars: number;
  sources: Record<string, SourceReport>;
}

export interface SourceReport {
  kept: Lengths;
  dropped: Lengths;
  /** Per filter, per feature it measured: the values of the docs it passed and of those it dropped. */
  features: Record<string, Record<string, FeatureStats>>;
  /** Docs per language label, and their langid scores in LANGUAGE_SCORE_BINS equal bins of [0, 1]. */
  languages: Record<string, number>;
  language_scores: number[];
  /** Per drop reason (`<stage>/<reason>`), a few dropped docs; and a few kept docs. */
  examples: Record<string, DocSample[]>;
  kept_examples: DocSample[];
}

export interface Lengths {
  docs: number;
  chars: Histogram;
  words: Histogram;
  /** Only docs whose tokens a `tokens` stage counted. */
  tokens: Histogram;
}

export interface FeatureStats {
  passed: Histogram;
  dropped: Histogram;
  thresholds: ThresholdMove[];
}

/**
 * A threshold the run used (a filter rule, or an option `min_<feature>` / `max_<feature>`) and the docs a 10% change of it
 * would move: `tighter` more docs dropped (of those the filter passed), `looser` more docs passed (of those it dropped).
 */
export interface ThresholdMove {
  /** The filter's rule, or the option that sets the bound. */
  option: string;
  bound: 'min' | 'max';
  value: number;
  tighter: number;
  looser: number;
}

export interface DocSample {
  /** Hash of the id: the examples of a reason are the docs with the smallest keys. */
  key: string;
  id: string;
  reason?: string;
  chars: number;
  snippet: string;
}

export const EXAMPLES_PER_REASON = 5;
export const SNIPPET_CHARS = 300;
export const LANGUAGE_SCORE_BINS = 20;

export function emptyLengths(): Lengths {
  return { docs: 0, chars: {}, words: {}, tokens: {} };
}

export function emptySourceReport(): SourceReport {
  return { kept: emptyLengths(), dropped: emptyLengths(), features: {}, languages: {}, language_scores: new Array<number>(LANGUAGE_SCORE_BINS).fill(0), examples: {}, kept_examples: [] };
}

export interface Threshold {
  option: string;
  feature: string;
  value: number;
  /** `min`: the filter drops docs below it; `max`: above it. */
  bound: 'min' | 'max';
  /** For a feature the filter derives from what it measured (ThresholdRule.value). */
  derive?(features: Record<string, unknown>): number;
}

/** Each filter's rules (FilterDef.rules) with the options the run gave it, by filter name. */
export type FilterRules = Map<string, ThresholdRule[]>;

/**
 * The rules of the filters the stages name, loaded with their code (zyda's own keep their rules there), before a
 * task measures docs; a filter stage holds each filter's options as its schema made them.
 */
export async function filterRules(stages: StageSpec[]): Promise<FilterRules> {
  const rules: FilterRules = new Map();
  for (const spec of stages) {
    if (spec.kind !== 'filter') continue;
    for (const [name, options] of Object.entries(spec.options as Record<string, unknown>)) {
      if (rules.has(name) || options === null || typeof options !== 'object' || Array.isArray(options)) continue;
      const declared = (await loadFilter(name))?.rules?.(options);
      if (declared) rules.set(name, declared);
    }
  }
  return rules;
}

/**
 * The thresholds of `filter` in the run's stages: the rules it declares (`rules`, from filterRules), or else its
 * numeric options named `min_<feature>` / `max_<feature>`. A filter's options sit under its name in a stage's
 * options (`filter: {zyda: {...}}`).
 */
export function thresholdsOf(stages: StageSpec[], filter: string, rules: FilterRules): Threshold[] {
  const options = stages.map((s) => (s.options as Record<string, unknown>)[filter]).find((o) => o !== null && typeof o === 'object');
  const declared = rules.get(filter);
  if (declared) {
    return declared
      .filter((r) => Number.isFinite(r.bound))
      .map((r) => ({ option: r.rule, feature: r.feature, value: r.bound, bound: r.min ? 'min' : 'max', ...(r.value ? { derive: r.value } : {}) }));
  }
  if (!options) return [];
  return Object.entries(options as Record<string, unknown>).flatMap(([option, value]) => {
    const m = /^(min|max)_(.+)$/.exec(option);
    return m && typeof value === 'number' ? [{ option, feature: m[2], value, bound: m[1] as 'min' | 'max' }] : [];
  });
}

/** Keeps the `n` samples with the smallest keys (ties by id), in that order. */
export function smallest(samples: DocSample[], n: number): DocSample[] {
  return samples.sort(compareSamples).slice(0, n);
}

export function compareSamples(a: DocSample, b: DocSample): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function sortedKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function mergeLengths(into: Lengths, from: Lengths): void {
  into.docs += from.docs;
  addHistogram(into.chars, from.chars);
  addHistogram(into.words, from.words);
  addHistogram(into.tokens, from.tokens);
}

/** Adds `from` into `into`, keeping the examples bounded. */
export function mergeSourceReport(into: SourceReport, from: SourceReport): void {
  mergeLengths(into.kept, from.kept);
  mergeLengths(into.dropped, from.dropped);
  for (const [filter, features] of Object.entries(from.features)) {
    const mine = (into.features[filter] ??= {});
    for (const [name, stats] of Object.entries(features)) {
      const m = (mine[name] ??= { passed: {}, dropped: {}, thresholds: stats.thresholds.map((t) => ({ ...t, tighter: 0, looser: 0 })) });
      addHistogram(m.passed, stats.passed);
      addHistogram(m.dropped, stats.dropped);
      stats.thresholds.forEach((t, i) => {
        m.thresholds[i].tighter += t.tighter;
        m.thresholds[i].looser += t.looser;
      });
    }
  }
  for (const [label, n] of Object.entries(from.languages)) into.languages[label] = (into.languages[label] ?? 0) + n;
  from.language_scores.forEach((n, i) => (into.language_scores[i] += n));
  for (const [reason, samples] of Object.entries(from.examples)) into.examples[reason] = smallest([...(into.examples[reason] ?? []), ...samples], EXAMPLES_PER_REASON);
  into.kept_examples = smallest([...into.kept_examples, ...from.kept_examples], EXAMPLES_PER_REASON);
}

/** Every key in a fixed order, so the file is the same bytes whatever order the tasks finished in. */
export function canonicalReport(r: SourceReport): SourceReport {
  const sortHist = (h: Histogram) => Object.fromEntries(Object.entries(h).sort(([a], [b]) => Number(a) - Number(b)));
  const lengths = (l: Lengths): Lengths => ({ docs: l.docs, chars: sortHist(l.chars), words: sortHist(l.words), tokens: sortHist(l.tokens) });
  return {
    kept: lengths(r.kept),
    dropped: lengths(r.dropped),
    features: sortedKeys(Object.fromEntries(Object.entries(r.features).map(([f, fs]) => [f, sortedKeys(Object.fromEntries(Object.entries(fs).map(([n, s]) => [n, { passed: sortHist(s.passed), dropped: sortHist(s.dropped), thresholds: s.thresholds }])))]))),
    languages: sortedKeys(r.languages),
    language_scores: r.language_scores,
    examples: sortedKeys(r.examples),
    kept_examples: r.kept_examples,
  };
}

/** The report data of a run from its tasks' parts, in any order, for the sources named. */
export function mergeReports(sources: string[], parts: { source: string; data: SourceReport }[]): ReportData {
  const merged: Record<string, SourceReport> = {};
  for (const s of sources) merged[s] = emptySourceReport();
  for (const p of parts) mergeSourceReport((merged[p.source] ??= emptySourceReport()), p.data);
  return {
    format: 1,
    examples_per_reason: EXAMPLES_PER_REASON,
    snippet_chars: SNIPPET_CHARS,
    sources: Object.fromEntries(Object.entries(merged).map(([s, r]) => [s, canonicalReport(r)])),
  };
}
