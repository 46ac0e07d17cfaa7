import type { Classification } from '../../classifiers/classifier.js';
import type { Keep } from './options.js';

/**
 * FineWeb-Edu's int_score, `int(round(max(0, min(score, 5))))` in Python: clamped to [0, 5], then rounded half
 * to even, as Python's round() (and NumPy's, for the float32 scores their script rounds) does: 2.5 → 2, 3.5 → 4.
 */
export function intScore(score: number): number {
  const x = Math.max(0, Math.min(score, 5));
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** One doc's outcome: its top label ('' for a regression head, or when the model gave none), its score, and why it goes. */
export interface Outcome {
  label: string;
  /** The top label's probability (0 for a regression head). */
  prob: number;
  /** The score column: a regression head's score, the top label's probability, or the score label's. */
  score: number;
  intScore: number;
  /** The drop reason under the stage's name, or undefined when the doc stays. */
  reason?: 'label' | 'low_prob' | 'low_score';
}

/**
 * `scoreLabel` makes a classification head's score the probability of that label (0 when the model did not
 * return it) rather than the top label's; a score rule then reads it as it reads a regression head's score.
 */
export function decide(c: Classification, keep: Keep, scoreLabel?: string): Outcome {
  const label = c.head === 'labels' ? c.labels[0] ?? '' : '';
  const prob = c.head === 'labels' ? c.probs[0] ?? 0 : 0;
  const score = c.head === 'score' ? c.score : scoreLabel === undefined ? prob : c.probs[c.labels.indexOf(scoreLabel)] ?? 0;
  const int = intScore(score);
  return { label, prob, score, intScore: int, reason: reasonOf(c, keep, label, prob, score, int, scoreLabel) };
}

function reasonOf(c: Classification, keep: Keep, label: string, prob: number, score: number, int: number, scoreLabel: string | undefined): Outcome['reason'] {
  if (keep === 'all') return undefined;
  if ('label' in keep) {
    if (c.head !== 'labels') throw new Error('a label rule on a regression head');
    if (!keep.label.includes(label)) return 'label';
    return keep.min_prob !== undefined && prob < keep.min_prob ? 'low_prob' : undefined;
  }
  if (c.head !== 'score' && scoreLabel === undefined) throw new Error('a score rule on a classification head');
  return (keep.score === 'int_score' ? int : score) < keep.min_score ? 'low_score' : undefined;
}

/** The keep rule as `explain` shows it, one row per condition, with the doc's values. */
export interface RuleRow {
  rule: string;
  value: string | number;
  threshold: string;
  passed: boolean;
}

export function ruleRows(o: Outcome, keep: Keep, scoreLabel?: string): RuleRow[] {
  const scored = scoreLabel === undefined ? 'score' : `score (probability of ${scoreLabel})`;
  if (keep === 'all') {
    const rows: RuleRow[] = [{ rule: 'label', value: o.label, threshold: 'all (annotate only)', passed: true }];
    return rows.concat([{ rule: scored, value: o.score, threshold: 'none', passed: true }]);
  }
  if ('label' in keep) {
    const rows: RuleRow[] = [{ rule: 'label', value: o.label, threshold: `in [${keep.label.join(', ')}]`, passed: keep.label.includes(o.label) }];
    return rows.concat([{ rule: 'low_prob', value: o.prob, threshold: keep.min_prob === undefined ? 'none' : `≥ ${keep.min_prob}`, passed: keep.min_prob === undefined || o.prob >= keep.min_prob }]);
  }
  const value = keep.score === 'int_score' ? o.intScore : o.score;
  return [
    ...(keep.score === 'int_score' || scoreLabel !== undefined ? [{ rule: scored, value: o.score, threshold: keep.score === 'int_score' ? 'int_score = round(clamp(score, 0, 5))' : 'none', passed: true }] : []),
    { rule: 'low_score', value, threshold: `${keep.score} ≥ ${keep.min_score}`, passed: value >= keep.min_score },
  ];
}
