import type { StageSpec } from '../../core/config-schema.js';
import { hash32 } from '../../core/hash.js';
import type { Doc } from '../../core/types.js';
import { addValue } from './bins.js';
import { EXAMPLES_PER_REASON, LANGUAGE_SCORE_BINS, SNIPPET_CHARS, emptySourceReport, smallest, thresholdsOf, type DocSample, type FeatureStats, type Lengths, type FilterRules, type SourceReport, type Threshold } from './data.js';

/** Where a langid stage put a doc's label and score: its options name the metadata keys, or it wrote columns. */
function languageFields(stages: StageSpec[]): { label: string; score: string } {
  const o = stages.map((s) => s.options as Record<string, unknown>).find((x) => typeof x.label_field === 'string');
  return { label: (o?.label_field as string | undefined) ?? 'language', score: (o?.score_field as string | undefined) ?? 'language_score' };
}

/** 1 for the UTF-16 units that separate words: ASCII whitespace, no-break space, ideographic space. */
const SPACE = new Uint8Array(0x10000);
for (const c of [9, 10, 11, 12, 13, 32, 160, 0x3000]) SPACE[c] = 1;

/** Words as runs of other units; a table lookup and no branch per unit, since this sees every kept doc's text. */
function wordCount(text: string): number {
  let n = 0;
  let afterSpace = 1;
  for (let i = 0; i < text.length; i++) {
    const space = SPACE[text.charCodeAt(i)];
    n += afterSpace & (space ^ 1);
    afterSpace = space;
  }
  return n;
}

/** The first SNIPPET_CHARS UTF-16 units, not ending inside a surrogate pair. */
function snippetOf(text: string): string {
  if (text.length <= SNIPPET_CHARS) return text;
  const cut = text.charCodeAt(SNIPPET_CHARS - 1) >= 0xd800 && text.charCodeAt(SNIPPET_CHARS - 1) <= 0xdbff ? SNIPPET_CHARS - 1 : SNIPPET_CHARS;
  return text.slice(0, cut);
}

/** 64 bits of hash of the id, as 16 hex digits: the order examples are chosen in. */
function sampleKey(id: string): string {
  return hash32(id).toString(16).padStart(8, '0') + hash32(id, 0x5bd1e995).toString(16).padStart(8, '0');
}

/** The numeric values of what one filter measured: top-level numbers, and the numbers of nested records as `a.b`. */
function numericFeatures(measured: unknown): [string, number][] {
  if (measured === null || typeof measured !== 'object') return [];
  const out: [string, number][] = [];
  for (const [k, v] of Object.entries(measured as Record<string, unknown>)) {
    if (typeof v === 'number' && Number.isFinite(v)) out.push([k, v]);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k2, v2] of Object.entries(v as Record<string, unknown>)) if (typeof v2 === 'number' && Number.isFinite(v2)) out.push([`${k}.${k2}`, v2]);
    }
  }
  return out;
}

/** Of the docs a filter measured: would a 10% tighter threshold drop it (passed), or a 10% looser one pass it (dropped)? */
function countMove(t: Threshold, value: number, droppedHere: boolean, move: { tighter: number; looser: number }): void {
  const near = Math.abs(t.value) * 0.1;
  if (t.bound === 'max') {
    if (!droppedHere && value > t.value - near && value <= t.value) move.tighter++;
    if (droppedHere && value > t.value && value <= t.value + near) move.looser++;
  } else {
    if (!droppedHere && value >= t.value && value < t.value + near) move.tighter++;
    if (droppedHere && value < t.value && value >= t.value - near) move.looser++;
  }
}

/**
 * Gathers one task's report data as its docs leave the stages: each dropped doc with its reason, and the docs
 * the task keeps when its segment is the run's last.
 */
export class ReportGatherer {
  private readonly report = emptySourceReport();
  private readonly thresholds = new Map<string, FilterThresholds>();
  private readonly fields: { label: string; score: string };

  /** `rules`: filterRules of the stages. */
  constructor(
    private readonly stages: StageSpec[],
    private readonly rules: FilterRules = new Map(),
  ) {
    this.fields = languageFields(stages);
  }

  dropped(doc: Doc, reason: string): void {
    this.measure(doc, this.report.dropped, reason);
    const list = (this.report.examples[reason] ??= []);
    this.offer(list, doc, reason);
  }

  kept(docs: Doc[]): void {
    for (const doc of docs) {
      this.measure(doc, this.report.kept, undefined);
      this.offer(this.report.kept_examples, doc, undefined);
    }
  }

  result(): SourceReport {
    return this.report;
  }

  private offer(list: DocSample[], doc: Doc, reason: string | undefined): void {
    const key = sampleKey(doc.id);
    if (list.length >= EXAMPLES_PER_REASON) {
      const last = list[list.length - 1];
      if (key > last.key || (key === last.key && doc.id >= last.id)) return;
    }
    list.push({ key, id: doc.id, ...(reason === undefined ? {} : { reason }), chars: doc.text.length, snippet: snippetOf(doc.text) });
    const kept = smallest(list, EXAMPLES_PER_REASON);
    list.length = 0;
    list.push(...kept);
  }

  private measure(doc: Doc, into: Lengths, reason: string | undefined): void {
    into.docs++;
    addValue(into.chars, doc.text.length);
    addValue(into.words, wordCount(doc.text));
    if (doc.tokenCount !== undefined) addValue(into.tokens, doc.tokenCount);
    for (const [filter, measured] of Object.entries(doc.features ?? {})) {
      const droppedHere = reason !== undefined && reason.startsWith(`filter/${filter}/`);
      const stats = (this.report.features[filter] ??= {});
      const { byFeature, derived } = this.thresholdsOf(filter);
      for (const [name, value] of [...numericFeatures(measured), ...derivedFeatures(derived, measured)]) {
        const bounds = byFeature.get(name) ?? [];
        const s: FeatureStats = (stats[name] ??= { passed: {}, dropped: {}, thresholds: bounds.map((t) => ({ option: t.option, bound: t.bound, value: t.value, tighter: 0, looser: 0 })) });
        addValue(droppedHere ? s.dropped : s.passed, value);
        bounds.forEach((t, i) => countMove(t, value, droppedHere, s.thresholds[i]));
      }
    }
    const label = doc.columns?.language ?? doc.meta[this.fields.label];
    const score = doc.columns?.language_score ?? doc.meta[this.fields.score];
    if (typeof label === 'string') {
      this.report.languages[label] = (this.report.languages[label] ?? 0) + 1;
      if (typeof score === 'number') this.report.language_scores[Math.min(LANGUAGE_SCORE_BINS - 1, Math.max(0, Math.floor(score * LANGUAGE_SCORE_BINS)))]++;
    }
  }

  /** A filter's thresholds by feature, and one rule per value its rules derive; worked out once per filter. */
  private thresholdsOf(filter: string): FilterThresholds {
    let found = this.thresholds.get(filter);
    if (!found) {
      const byFeature = new Map<string, Threshold[]>();
      const derived = new Map<string, Threshold>();
      for (const t of thresholdsOf(this.stages, filter, this.rules)) {
        byFeature.set(t.feature, [...(byFeature.get(t.feature) ?? []), t]);
        if (t.derive && !derived.has(t.feature)) derived.set(t.feature, t);
      }
      this.thresholds.set(filter, (found = { byFeature, derived: [...derived.values()] }));
    }
    return found;
  }
}

interface FilterThresholds {
  byFeature: Map<string, Threshold[]>;
  /** One threshold per derived feature, to derive its value with. */
  derived: Threshold[];
}

/** The values rules derive from what a filter measured; a feature the filter measured itself is binned as measured. */
function derivedFeatures(derived: Threshold[], measured: unknown): [string, number][] {
  if (derived.length === 0 || measured === null || typeof measured !== 'object') return [];
  const features = measured as Record<string, unknown>;
  const out: [string, number][] = [];
  for (const t of derived) {
    if (typeof features[t.feature] === 'number') continue;
    const v = t.derive!(features);
    if (Number.isFinite(v)) out.push([t.feature, v]);
  }
  return out;
}
