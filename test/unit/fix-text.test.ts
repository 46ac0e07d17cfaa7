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
  'adv/moji-punct-U+20AC', 'adv/moji-punct-eol-U+20AC', 'adv/moji-punct-U+201A', 'adv/moji-punct-eol-U+201A',
  'adv/moji-punct-U+201E', 'adv/moji-punct-eol-U+201E', 'adv/moji-punct-U+2026', 'adv/moji-punct-eol-U+2026',
  'adv/moji-punct-U+2020', 'adv/moji-punct-eol-U+2020', 'adv/moji-punct-U+2021', 'adv/moji-punct-eol-U+2021',
  'adv/moji-punct-U+02C6', 'adv/moji-punct-eol-U+02C6', 'adv/moji-punct-U+2030', 'adv/moji-punct-eol-U+2030',
  'adv/moji-punct-U+2039', 'adv/moji-punct-eol-U+2039', 'adv/moji-punct-U+2018', 'adv/moji-punct-eol-U+2018',
  'adv/moji-punct-U+2019', 'adv/moji-punct-eol-U+2019', 'adv/moji-punct-U+201C', 'adv/moji-punct-eol-U+201C',
  'adv/moji-punct-U+201D', 'adv/moji-punct-eol-U+201D', 'adv/moji-punct-U+2022', 'adv/moji-punct-eol-U+2022',
  'adv/moji-punct-U+2013', 'adv/moji-punct-eol-U+2013', 'adv/moji-punct-U+2014', 'adv/moji-punct-eol-U+2014',
  'adv/moji-punct-U+02DC', 'adv/moji-punct-eol-U+02DC', 'adv/moji-punct-U+203A', 'adv/moji-punct-eol-U+203A',
  'adv/moji-punct-U+00A0', 'adv/moji-punct-eol-U+00A0', 'adv/moji-punct-U+00A1', 'adv/moji-punct-eol-U+00A1',
  'adv/moji-punct-U+00A2', 'adv/moji-punct-eol-U+00A2', 'adv/moji-punct-U+00A3', 'adv/moji-punct-eol-U+00A3',
  'adv/moji-punct-U+00A4', 'adv/moji-punct-eol-U+00A4', 'adv/moji-punct-U+00A5', 'adv/moji-punct-eol-U+00A5',
  'adv/moji-punct-U+00A6', 'adv/moji-punct-eol-U+00A6', 'adv/moji-punct-U+00A7', 'adv/moji-punct-eol-U+00A7',
  'adv/moji-punct-U+00A8', 'adv/moji-punct-eol-U+00A8', 'adv/moji-punct-U+00A9', 'adv/moji-punct-eol-U+00A9',
  'adv/moji-punct-U+00AA', 'adv/moji-punct-eol-U+00AA', 'adv/moji-punct-U+00AB', 'adv/moji-punct-eol-U+00AB',
  'adv/moji-punct-U+00AC', 'adv/moji-punct-eol-U+00AC', 'adv/moji-punct-U+00AD', 'adv/moji-punct-eol-U+00AD',
  'adv/moji-punct-U+00AE', 'adv/moji-punct-eol-U+00AE', 'adv/moji-punct-U+00AF', 'adv/moji-punct-eol-U+00AF',
  'adv/moji-punct-U+00B0', 'adv/moji-punct-eol-U+00B0', 'adv/moji-punct-U+00B1', 'adv/moji-punct-eol-U+00B1',
  'adv/moji-punct-U+00B2', 'adv/moji-punct-eol-U+00B2', 'adv/moji-punct-U+00B3', 'adv/moji-punct-eol-U+00B3',
  'adv/moji-punct-U+00B4', 'adv/moji-punct-eol-U+00B4', 'adv/moji-punct-U+00B5', 'adv/moji-punct-eol-U+00B5',
  'adv/moji-punct-U+00B6', 'adv/moji-punct-eol-U+00B6', 'adv/moji-punct-U+00B7', 'adv/moji-punct-eol-U+00B7',
  'adv/moji-punct-U+00B8', 'adv/moji-punct-eol-U+00B8', 'adv/moji-punct-U+00B9', 'adv/moji-punct-eol-U+00B9',
  'adv/moji-punct-U+00BA', 'adv/moji-punct-eol-U+00BA', 'adv/moji-punct-U+00BB', 'adv/moji-punct-eol-U+00BB',
  'adv/moji-punct-U+00BC', 'adv/moji-punct-eol-U+00BC', 'adv/moji-punct-U+00BD', 'adv/moji-punct-eol-U+00BD',
  'adv/moji-punct-U+00BE', 'adv/moji-punct-eol-U+00BE', 'adv/moji-punct-U+00BF', 'adv/moji-punct-eol-U+00BF',
  'adv/moji-punct-U+00D7', 'adv/moji-punct-eol-U+00D7', 'adv/moji-punct-U+00F7', 'adv/moji-punct-eol-U+00F7',
  'adv/moji-letter-U+017D', 'adv/moji-letter-U+0161', 'adv/moji-letter-U+0153', 'adv/moji-letter-U+017E',
  'adv/moji-letter-U+0178', 'adv/moji-letter-U+00C0', 'adv/moji-letter-U+00C1', 'adv/moji-letter-U+00C2',
  'adv/moji-letter-U+00C3', 'adv/moji-letter-U+00C4', 'adv/moji-letter-U+00C6', 'adv/moji-letter-U+00C7',
  'adv/moji-letter-U+00C8', 'adv/moji-letter-U+00C9', 'adv/moji-letter-U+00CA', 'adv/moji-letter-U+00CB',
  'adv/moji-letter-U+00CD', 'adv/moji-letter-U+00CF', 'adv/moji-letter-U+00D0', 'adv/moji-letter-U+00D1',
  'adv/moji-letter-U+00D3', 'adv/moji-letter-U+00D4', 'adv/moji-letter-U+00D5', 'adv/moji-letter-U+00D6',
  'adv/moji-letter-U+00D8', 'adv/moji-letter-U+00D9', 'adv/moji-letter-U+00DA', 'adv/moji-letter-U+00DB',
  'adv/moji-letter-U+00DC', 'adv/moji-letter-U+00DD', 'adv/moji-letter-U+00DE', 'adv/moji-letter-U+00DF',
  'adv/moji-letter-U+00E0', 'adv/moji-letter-U+00E1', 'adv/moji-letter-U+00E2', 'adv/moji-letter-U+00E3',
  'adv/moji-letter-U+00E4', 'adv/moji-letter-U+00E5', 'adv/moji-letter-U+00E6', 'adv/moji-letter-U+00E7',
  'adv/moji-letter-U+00E8', 'adv/moji-letter-U+00E9', 'adv/moji-letter-U+00EA', 'adv/moji-letter-U+00EB',
  'adv/moji-letter-U+00EC', 'adv/moji-letter-U+00ED', 'adv/moji-letter-U+00EE', 'adv/moji-letter-U+00EF',
  'adv/moji-letter-U+00F0', 'adv/moji-letter-U+00F1', 'adv/moji-letter-U+00F2', 'adv/moji-letter-U+00F3',
  'adv/moji-letter-U+00F4', 'adv/moji-letter-U+00F5', 'adv/moji-letter-U+00F6', 'adv/moji-letter-U+00F8',
  'adv/moji-letter-U+00F9', 'adv/moji-letter-U+00FA', 'adv/moji-letter-U+00FB', 'adv/moji-letter-U+00FC',
  'adv/moji-letter-U+00FD', 'adv/moji-letter-U+00FE', 'adv/moji-letter-U+00FF', 'adv/moji-apostrophe',
  'adv/moji-french', 'adv/moji-german', 'adv/moji-spanish', 'adv/moji-latin1-decoded', 'adv/moji-a0-as-space',
  'adv/moji-cjk', 'adv/moji-emoji', 'adv/moji-cyrillic-cp1252', 'adv/moji-cyrillic-cp1251', 'adv/moji-greek',
  'adv/moji-arabic', 'adv/moji-hebrew', 'adv/moji-macroman', 'adv/moji-cp437', 'adv/moji-double', 'adv/moji-triple',
  'adv/moji-mixed-with-correct', 'adv/moji-one-word-in-english', 'adv/moji-lossy-replacement',
  'adv/moji-lossy-question', 'adv/moji-quote-lost-byte', 'adv/moji-c1-from-latin1', 'adv/moji-multiline',
  'adv/moji-utf8-variant-cesu', 'adv/moji-java-null', 'adv/moji-nbsp-lone', 'adv/moji-copyright', 'adv/moji-degree',
  'adv/moji-euro', 'adv/moji-bullet-list', 'adv/moji-ellipsis-dash', 'adv/legit-encoding-doc',
  'adv/legit-a-tilde-words', 'adv/everything',
]);
const KNOWN_DEV = new Set<string>([
  'mcore-es-es-39', 'mcore-fi-test-250', 'mcore-fr-test-12', 'mcore-fr-test-58', 'mcore-fr-test-123',
  'mcore-fr-test-172', 'mcore-id-id-269', 'mcore-jp-jp-67', 'mcore-pt-pt-137', 'mcore-pt-pt-211', 'mcore-sv-test-8',
  'mcore-sv-test-83', 'mcore-sv-test-175', 'mcore-sv-test-255', 'mcore-ur-ur-35', 'mcore-zh-zh-141',
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
