import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { docHasher } from '../../dedup/doc-signature.js';
import { dedupOptions } from '../../dedup/options.js';
import { normalizeWords } from '../../dedup/normalize.js';
import { needsShared, ROOT, SHARED } from '../helpers.js';

/** [tokens, digest] per doc, [0] for a doc with no token (test/fixtures/make_zyda_signature_fixtures.py). */
type Row = [number, string?];
interface Fixture {
  generator: Record<string, string>;
  adversarial: Row[];
  dev: Record<string, Row[]>;
  /** [name, input, tokens, digest]: inputs at the edges of nltk's tokenizer. */
  tokenizer: [string, string, number, string][];
}
interface FtfyFixture {
  adversarial: { name: string; input: string }[];
}

const gz = (name: string) => JSON.parse(gunzipSync(readFileSync(join(ROOT, 'test', 'fixtures', name))).toString('utf8'));
const fixture = gz('zyda-signatures.json.gz') as Fixture;
const ftfy = gz('ftfy.json.gz') as FtfyFixture;
const NGRAM = 13;

interface Doc {
  name: string;
  text: string;
  want: Row;
}

function docs(): Doc[] {
  const out: Doc[] = ftfy.adversarial.map((c, i) => ({ name: c.name, text: c.input, want: fixture.adversarial[i]! }));
  assert.equal(fixture.adversarial.length, ftfy.adversarial.length, 'one row per adversarial case');
  for (const [name, text, tokens, digest] of fixture.tokenizer) out.push({ name: `tokenizer/${name}`, text, want: [tokens, digest] });
  if (needsShared('data/dev')) return out;
  for (const [file, rows] of Object.entries(fixture.dev)) {
    const lines = gunzipSync(readFileSync(join(SHARED, 'data', 'dev', file))).toString('utf8').split('\n');
    let n = 0;
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const { id, text } = JSON.parse(line) as { id: string; text: string };
      out.push({ name: id, text, want: rows[n++]! });
    });
    assert.equal(n, rows.length, `${file}: one row per doc`);
  }
  return out;
}

const all = docs();
const hasher = docHasher(dedupOptions.parse({ compat: 'datasketch', ngram: NGRAM, exact: false }));
/** The fixture's digest: the first 8 hex digits of the sha256 of the values in decimal joined with ','. */
const digest = (sig: Uint32Array) => createHash('sha256').update([...sig].join(',')).digest('hex').slice(0, 8);

/** Every doc of a group has Zyda's signature; fails naming the first that do not. */
function check(label: string, group: Doc[], t: { diagnostic(s: string): void }): void {
  const differing: string[] = [];
  for (const d of group) {
    const { signature } = hasher(d.text);
    const [tokens, want] = d.want;
    const got = signature === undefined ? undefined : digest(signature);
    if (got !== want) differing.push(d.name);
    else assert.equal(normalizeWords(d.text, { preset: 'zyda' }).length, tokens, `${d.name}: same signature, so the same token count`);
  }
  const equal = group.length - differing.length;
  t.diagnostic(`${label}: ${equal} of ${group.length} equal`);
  console.log(`zyda signatures, ${label}: ${equal} of ${group.length} equal`);
  assert.deepEqual(differing.slice(0, 10), [], `${label}: ${differing.length} docs whose signature differs from Zyda's`);
}

test(`compat: datasketch signatures equal Zyda's (ftfy ${fixture.generator.ftfy}, nltk as 3.8.1, datasketch 1.5.9) on docs of ${NGRAM} tokens or more`, (t) => {
  check(`${NGRAM} tokens or more`, all.filter((d) => d.want[0] >= NGRAM), t);
});

test(`docs under ${NGRAM} tokens: the signature of one shingle, their whole normalised text, not Zyda's all-max one`, (t) => {
  const short = all.filter((d) => d.want[0] > 0 && d.want[0] < NGRAM);
  assert.ok(short.length > 0);
  check(`1 to ${NGRAM - 1} tokens`, short, t);
  // Zyda gives every one of them the same signature; zyda does not.
  assert.notEqual(new Set(short.map((d) => d.want[1])).size, 1);
  assert.equal(digest(new Uint32Array(128).fill(0xffffffff)), fixture.generator.zyda_short_doc_digest);
});

test('docs with no token have no signature', () => {
  const empty = all.filter((d) => d.want[0] === 0);
  assert.ok(empty.length > 0);
  for (const d of empty) assert.equal(hasher(d.text).signature, undefined, d.name);
});

test('the dev corpus was read', { skip: needsShared('data/dev') }, () => {
  assert.equal(all.length, ftfy.adversarial.length + fixture.tokenizer.length + Object.values(fixture.dev).reduce((n, rows) => n + rows.length, 0));
});
