import type { RuleVerdict } from '../core/filter.js';

/** One rule of a filter: a measured feature against a bound; `min` bounds from below. A value at its bound passes. */
export interface ThresholdRule {
  rule: string;
  feature: string;
  bound: number;
  min?: boolean;
}

/** Every rule's verdict on one doc's features, for `zyda explain`. */
export function thresholdVerdicts(features: Record<string, unknown> | undefined, rules: ThresholdRule[]): RuleVerdict[] {
  return rules.map((r) => {
    const value = Number(features?.[r.feature]);
    return { rule: r.rule, value, threshold: `${r.min ? '≥' : '≤'} ${r.bound}`, passed: r.min ? value >= r.bound : value <= r.bound };
  });
}
