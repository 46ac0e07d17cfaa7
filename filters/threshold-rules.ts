import type { RuleVerdict, ThresholdRule } from '../core/filter.js';

export type { ThresholdRule };

/** Every rule's verdict on one doc's features, for `zyda explain`. */
export function thresholdVerdicts(features: Record<string, unknown> | undefined, rules: ThresholdRule[]): RuleVerdict[] {
  return rules.map((r) => {
    const value = Number(features?.[r.feature]);
    return { rule: r.rule, value, threshold: `${r.min ? '≥' : '≤'} ${r.bound}`, passed: r.min ? value >= r.bound : value <= r.bound };
  });
}
