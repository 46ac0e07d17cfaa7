import type { z } from 'zod';
import type { Doc } from './types.js';

/** What a filter says about one document: keep it, or drop it for a named reason; with what it measured. */
export type Verdict =
  /** `text`: the kept doc's new text, for filters that also clean lines (C4). */
  | { keep: true; features?: Record<string, unknown>; text?: string }
  | { keep: false; reason: string; features?: Record<string, unknown> };

/**
 * A filter is only a decision. The shared runner (stages/filter/index.ts) owns batching, counting drops as
 * `filter/<name>/<reason>`, per-source skipping, the features column and the rejected-doc output.
 */
export interface FilterDef<O> {
  name: string;
  options: z.ZodType<O>;
  /** A promise lets a definition load its code only where a task uses it. */
  create(options: O): Decide | Promise<Decide>;
  /**
   * The bounds the filter sets on features it measures (one per rule): the report draws them on the features'
   * histograms, and a filter's `explain` can print them against one doc.
   */
  rules?(options: O): ThresholdRule[];
  /** Every rule's verdict for one doc, for `zyda explain`. */
  explain?(options: O): Explain | Promise<Explain>;
}

export type Decide = (doc: Doc) => Verdict;
export type Explain = (doc: Doc) => RuleVerdict[];

/**
 * A filter without its name and options schema, deciding synchronously: zyda's own filters keep this in their
 * code's module, which loads neither zod nor the other filters.
 */
export interface FilterTask<O> {
  create(options: O): Decide;
  rules?(options: O): ThresholdRule[];
  explain?(options: O): Explain;
}

/** One rule of a filter: a measured feature against a bound; `min` bounds from below. A value at its bound passes. */
export interface ThresholdRule {
  rule: string;
  feature: string;
  bound: number;
  min?: boolean;
  /**
   * When the bound applies to a value derived from what the filter measured (a count per character, say), how to
   * derive it from the verdict's features; the report bins that value under `feature`.
   */
  value?(features: Record<string, unknown>): number;
}

export interface RuleVerdict {
  rule: string;
  value: number;
  threshold: string;
  passed: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFilterDef = FilterDef<any>;
