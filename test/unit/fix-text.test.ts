import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fixText } from '../../dedup/fix-text/index.js';
import { needsShared, ROOT, SHARED } from '../helpers.js';

interface Fixture {
  generator: { ftfy: string };
  adversarial: { name: string; input: string; output: string }[];
  dev: Record<string, {
    changed: { line: number; id: string; input_sha256: string; output_sha256: string; lines: [number, string][] }[];
    unchanged: { count: number; sha256: string };
  }>;
}

const fixture = JSON.parse(gunzipSync(readFileSync(join(ROOT, 'test', 'fixtures', 'ftfy.json.gz'))).toString('utf8')) as Fixture;
const sha = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 16);

/**
 * Cases where fixText still differs from ftfy, each named. The list must shrink to empty: a listed case that
 * starts to agree fails the test until it is taken off, and an unlisted case that differs fails it too.
 */
const KNOWN_ADVERSARIAL = new Set<string>([
  'adv/moji-punct-U+0192', 'adv/moji-punct-eol-U+0192', 'adv/moji-punct-U+2122', 'adv/moji-punct-eol-U+2122',
  'adv/moji-letter-U+0160', 'adv/moji-letter-U+0152', 'adv/moji-letter-U+00C5', 'adv/moji-letter-U+00CC',
  'adv/moji-letter-U+00CE', 'adv/moji-letter-U+00D2', 'adv/moji-a0-as-space', 'adv/moji-cyrillic-cp1251',
  'adv/moji-macroman', 'adv/moji-cp437', 'adv/moji-lossy-replacement', 'adv/moji-lossy-question',
  'adv/moji-quote-lost-byte', 'adv/moji-utf8-variant-cesu', 'adv/moji-java-null',
  'adv/legit-icelandic', 'adv/legit-a-tilde-words',
]);
const KNOWN_DEV = new Set<string>([
  'mcore-fr-test-58', 'mcore-fr-test-123', 'mcore-fr-test-172', 'mcore-jp-jp-67', 'mcore-pt-pt-231',
  'mcore-sv-test-8', 'mcore-ur-ur-35',
]);

/** Fails on unlisted differences and on listed cases that now agree. */
function checkAgainstList(label: string, differing: string[], known: Set<string>): void {
  const unlisted = differing.filter((n) => !known.has(n));
  const fixed = [...known].filter((n) => !differing.includes(n));
  assert.deepEqual(unlisted, [], `${label}: cases that differ from ftfy and are not in the known list`);
  assert.deepEqual(fixed, [], `${label}: listed cases that now agree with ftfy; take them off the list`);
}

test(`fixText equals ftfy ${fixture.generator.ftfy} on the adversarial cases, but for the listed ones`, (t) => {
  const differing = fixture.adversarial.filter((c) => fixText(c.input) !== c.output).map((c) => c.name);
  const n = fixture.adversarial.length;
  t.diagnostic(`adversarial: ${n - differing.length} of ${n} equal`);
  console.log(`fix-text adversarial: ${n - differing.length} of ${n} equal`);
  checkAgainstList('adversarial', differing, KNOWN_ADVERSARIAL);
});

test('fixText equals ftfy on every document of shared/data/dev, but for the listed ones', { skip: needsShared('data/dev') }, (t) => {
  const differing: string[] = [];
  let total = 0;
  for (const [file, expected] of Object.entries(fixture.dev)) {
    const rows = gunzipSync(readFileSync(join(SHARED, 'data', 'dev', file))).toString('utf8').split('\n');
    const changed = new Map(expected.changed.map((c) => [c.line, c]));
    const unchangedDigests = createHash('sha256');
    let unchangedCount = 0;
    rows.forEach((row, i) => {
      if (row.trim() === '') return;
      const { id, text } = JSON.parse(row) as { id: string; text: string };
      const want = changed.get(i + 1);
      total++;
      if (want === undefined) {
        unchangedCount++;
        unchangedDigests.update(createHash('sha256').update(text).digest());
        if (fixText(text) !== text) differing.push(id);
        return;
      }
      assert.equal(sha(text), want.input_sha256, `${file}:${i + 1} is the text the fixture recorded`);
      if (sha(fixText(text)) !== want.output_sha256) differing.push(id);
    });
    assert.equal(unchangedCount, expected.unchanged.count, `${file}: docs that ftfy leaves alone`);
    assert.equal(unchangedDigests.digest('hex'), expected.unchanged.sha256, `${file}: the texts that ftfy leaves alone`);
  }
  t.diagnostic(`dev: ${total - differing.length} of ${total} equal`);
  console.log(`fix-text dev: ${total - differing.length} of ${total} equal`);
  checkAgainstList('dev', differing, KNOWN_DEV);
});
