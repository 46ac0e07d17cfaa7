import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fixText } from '../../dedup/fix-text/index.js';
import { replaceLossySequences, restoreByteA0 } from '../../dedup/fix-text/byte-repairs.js';
import { BAD_WINDOWS, CLASS_STARTS } from '../../dedup/fix-text/badness-table.js';
import { chainOfSteps, fixCharacters } from '../../dedup/fix-text/char-pass.js';
import { needsShared, ROOT, SHARED } from '../helpers.js';

interface Fixture {
  generator: { ftfy: string };
  adversarial: { name: string; input: string; output: string }[];
  generated: [input: string, output: string][];
  byte_repairs: { bytes: number[]; longest: number } & Record<'restore_byte_a0' | 'replace_lossy_sequences', { sha256: string; examples: [string, string][] }>;
  dev: Record<string, {
    changed: { line: number; id: string; input_sha256: string; output_sha256: string; lines: [number, string][] }[];
    unchanged: { count: number; sha256: string };
  }>;
}

const fixture = JSON.parse(gunzipSync(readFileSync(join(ROOT, 'test', 'fixtures', 'ftfy.json.gz'))).toString('utf8')) as Fixture;
const sha = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 16);

/** Fails with the first differing cases named. */
function assertNoneDiffer(label: string, differing: string[]): void {
  assert.deepEqual(differing.slice(0, 10), [], `${label}: ${differing.length} cases differ from ftfy`);
}

test(`fixText equals ftfy ${fixture.generator.ftfy} on every adversarial case`, (t) => {
  const differing = fixture.adversarial.filter((c) => fixText(c.input) !== c.output).map((c) => c.name);
  const n = fixture.adversarial.length;
  t.diagnostic(`adversarial: ${n - differing.length} of ${n} equal`);
  console.log(`fix-text adversarial: ${n - differing.length} of ${n} equal`);
  assertNoneDiffer('adversarial', differing);
});

test('fixText equals ftfy on random lines of mixed mojibake', () => {
  const differing = fixture.generated.filter(([input, output]) => fixText(input) !== output);
  console.log(`fix-text generated: ${fixture.generated.length - differing.length} of ${fixture.generated.length} equal`);
  assert.deepEqual(differing.slice(0, 5).map(([input, output]) => ({ input, ftfy: output, zyda: fixText(input) })), []);
});

test('the one-pass character steps equal the chain of the step functions', () => {
  const differing: string[] = [];
  for (let u = 0; u < 0x10000; u++) {
    const c = String.fromCharCode(u);
    for (const x of [c, `a${c}b`, `${c}\n`, `${c}${c}`]) if (fixCharacters(x) !== chainOfSteps(x)) differing.push(x);
  }
  const pieces = ['\r', '\n', '\r\n', '\u0085', '\u0091', 'x', '\ud83d', '\ude00', '\ud83d\ude00', '\ufb03', '\uff21', '\u2019', '\u0000', '\u2028', '\u0149'];
  let seed = 15;
  for (let n = 0; n < 20_000; n++) {
    let x = '';
    for (let k = (n % 7) + 1; k > 0; k--) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      x += pieces[seed % pieces.length];
    }
    if (fixCharacters(x) !== chainOfSteps(x)) differing.push(x);
  }
  assert.deepEqual(differing.slice(0, 10).map((x) => JSON.stringify(x)), []);
  const plain = 'nothing to change here';
  assert.equal(fixCharacters(plain), plain);
});

test("the character steps then NFC leave their own output alone, which fixText's rounds rely on", () => {
  const moved: string[] = [];
  for (let u = 0; u < 0x10000; u++) {
    const once = fixCharacters(String.fromCharCode(u)).normalize('NFC');
    if (fixCharacters(once) !== once) moved.push(u.toString(16));
    // A character the steps change has no canonical decomposition, so NFC cannot compose one out of others.
    const c = String.fromCharCode(u);
    if (fixCharacters(c) !== c && c.normalize('NFD') !== c && !(u >= 0xd800 && u <= 0xdfff)) moved.push(`nfd ${u.toString(16)}`);
  }
  assert.deepEqual(moved, []);
});

test('every badness window needs a non-ASCII character, which isBad relies on to skip ASCII runs', () => {
  const classOf = (cp: number): number => {
    let k = -1;
    for (let i = 0; i < CLASS_STARTS.length && CLASS_STARTS[i]! <= cp; i += 2) k = CLASS_STARTS[i + 1]!;
    return k;
  };
  const asciiClasses = new Set(Array.from({ length: 0x80 }, (_, cp) => classOf(cp)));
  const nonAsciiOnly = (k: number): boolean => k !== 0 && !asciiClasses.has(k);
  const allAscii = BAD_WINDOWS.filter((w) => !w.split(',').map(Number).some(nonAsciiOnly));
  assert.deepEqual(allAscii, []);
});

for (const [name, repair] of [['restore_byte_a0', restoreByteA0], ['replace_lossy_sequences', replaceLossySequences]] as const) {
  test(`the byte repair ${name} equals ftfy's on every byte string the fixture enumerates`, () => {
    const { bytes, longest } = fixture.byte_repairs;
    const expected = fixture.byte_repairs[name];
    for (const [input, output] of expected.examples) {
      assert.equal(Buffer.from(repair(Buffer.from(input, 'hex'))).toString('hex'), output, `${name}(${input})`);
    }
    const digest = createHash('sha256');
    const visit = (prefix: number[]): void => {
      if (prefix.length > 0) digest.update(Buffer.from(repair(Uint8Array.from(prefix))).toString('hex') + '\n');
    };
    for (let n = 1; n <= longest; n++) {
      const walk = (prefix: number[]): void => {
        if (prefix.length === n) return visit(prefix);
        for (const b of bytes) walk([...prefix, b]);
      };
      walk([]);
    }
    assert.equal(digest.digest('hex'), expected.sha256);
  });
}

test('fixText equals ftfy on every document of shared/data/dev', { skip: needsShared('data/dev') }, (t) => {
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
  assertNoneDiffer('dev', differing);
});
