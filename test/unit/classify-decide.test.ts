import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { decide, intScore } from '../../stages/classify/decide.js';
import { prepareText } from '../../stages/classify/prepare.js';

const SCORES = [-1.2, 0, 0.49999999, 0.5, 0.5000001, 1.5, 2.5, 2.4999, 2.5001, 3.5, 4.5, 4.4999, 5, 5.5, 7.25, 1e9, -1e9, 2.675];
/** `int(round(max(0, min(x, 5))))` in Python 3 for SCORES: ties go to the even integer. */
const PYTHON = [0, 0, 0, 0, 1, 2, 2, 2, 3, 4, 4, 4, 5, 5, 5, 5, 0, 3];

test("int_score is FineWeb-Edu's int(round(max(0, min(score, 5)))): clamped, ties to even as Python rounds", () => {
  assert.deepEqual(SCORES.map(intScore), PYTHON);
  // Every float32 value from -1 to 6 in steps of 1/16 (ties included), against Python itself when it is here.
  const grid = Array.from({ length: 113 }, (_, i) => -1 + i / 16);
  const py = spawnSync('python3', ['-c', 'import sys; print(" ".join(str(int(round(max(0, min(float(x), 5))))) for x in sys.argv[1:]))', ...grid.map(String)], { encoding: 'utf8' });
  if (py.status === 0) assert.deepEqual(grid.map(intScore), py.stdout.trim().split(' ').map(Number));
  else assert.deepEqual(grid.filter((x) => x % 1 === 0.5 && x > 0 && x < 5).map(intScore), [0, 2, 2, 4, 4]);
});

test('keep rules: label, min_prob, min_score on the score or int_score', () => {
  const labels = (label: string, prob: number) => ({ head: 'labels' as const, labels: [label, 'Low'], probs: [prob, 1 - prob] });
  const score = (s: number) => ({ head: 'score' as const, score: s });
  assert.deepEqual(decide(labels('High', 0.7), 'all'), { label: 'High', prob: 0.7, score: 0.7, intScore: 1, reason: undefined });
  assert.equal(decide(labels('High', 0.7), { label: ['High'] }).reason, undefined);
  assert.equal(decide(labels('Medium', 0.7), { label: ['High'] }).reason, 'label');
  assert.equal(decide(labels('High', 0.7), { label: ['High'], min_prob: 0.8 }).reason, 'low_prob');
  assert.equal(decide(labels('High', 0.8), { label: ['High'], min_prob: 0.8 }).reason, undefined);
  assert.deepEqual(decide(score(2.5), { min_score: 3, score: 'int_score' }), { label: '', prob: 0, score: 2.5, intScore: 2, reason: 'low_score' });
  assert.equal(decide(score(2.51), { min_score: 3, score: 'int_score' }).reason, undefined);
  assert.equal(decide(score(2.51), { min_score: 3, score: 'score' }).reason, 'low_score');
  assert.equal(decide(score(3), { min_score: 3, score: 'score' }).reason, undefined);
  assert.deepEqual(decide({ head: 'labels', labels: [], probs: [] }, { label: ['High'] }), { label: '', prob: 0, score: 0, intScore: 0, reason: 'label' });
  // A score label: the score is that label's probability, top or not, and 0 when the model did not return it.
  const two = { head: 'labels' as const, labels: ['cc', 'hq'], probs: [0.97, 0.03] };
  assert.deepEqual(decide(two, { min_score: 0.018, score: 'score' }, 'hq'), { label: 'cc', prob: 0.97, score: 0.03, intScore: 0, reason: undefined });
  assert.equal(decide(two, { min_score: 0.05, score: 'score' }, 'hq').reason, 'low_score');
  assert.equal(decide(two, { label: ['cc'], min_prob: 0.9 }, 'hq').reason, undefined);
  assert.equal(decide({ head: 'labels', labels: ['cc'], probs: [1] }, 'all', 'hq').score, 0);
});

test('text preparation: code points, newlines to one space each run, lowercase', () => {
  const p = { maxChars: 0, newlines: 'space' as const, lowercase: false };
  assert.equal(prepareText('a\nb\r\n\nc', p), 'a b c');
  assert.equal(prepareText('a\nb', { ...p, newlines: 'keep' }), 'a\nb');
  assert.equal(prepareText('AbC', { ...p, lowercase: true }), 'abc');
  // Python's text[:3]: three code points, an astral one among them.
  assert.equal(prepareText('a😀bc', { ...p, maxChars: 3 }), 'a😀b');
  assert.equal(prepareText('ab', { ...p, maxChars: 5 }), 'ab');
});
