import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, duck, ROOT, SHARED, shardGlob, tempDir, zyda } from './helpers.js';

interface Fixture {
  docs: { name: string; text: string; counts: Record<'gpt2' | 'cl100k_base' | 'o200k_base' | 'neox', number> }[];
}

const fixture = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'token-counts.json'), 'utf8')) as Fixture;
const NEOX = join(SHARED, 'data', 'tokenizers', 'gpt-neox-20b.tokenizer.json');

/**
 * The JS tokenizers split U+FEFF as whitespace where the Rust reference does not (JS `\s` includes it).
 * Until our own BPE engine replaces them (issue 6), these are the only documents allowed to differ.
 */
const hasBom = (text: string) => text.includes('\uFEFF');

async function countsFromRun(tokenizer: string): Promise<Map<string, number>> {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'docs.jsonl'), fixture.docs.map((d) => JSON.stringify({ id: d.name, text: d.text })).join('\n') + '\n');
    const out = join(dir, 'out');
    const r = zyda(['tokens', '--input', join(dir, 'docs.jsonl'), '--id-field', 'id', '--tokenizer', tokenizer, '-o', out, '--workers', '2']);
    assert.equal(r.code, 0, r.stderr);
    const rows = await duck<{ id: string; token_count: number }>(`SELECT id, token_count FROM read_parquet('${shardGlob(out)}')`);
    return new Map(rows.map((x) => [x.id, Number(x.token_count)]));
  } finally {
    cleanup(dir);
  }
}

const cases: [string, keyof Fixture['docs'][number]['counts'], string | false][] = [
  ['gpt2', 'gpt2', false],
  ['cl100k_base', 'cl100k_base', false],
  ['o200k_base', 'o200k_base', false],
  [NEOX, 'neox', !existsSync(NEOX) && 'the NeoX tokenizer.json in ../shared is absent'],
];

for (const [tokenizer, key, skip] of cases) {
  test(`token counts equal the Rust reference for ${key} (${fixture.docs.length} real and adversarial docs)`, { skip }, async () => {
    const got = await countsFromRun(tokenizer);
    assert.equal(got.size, fixture.docs.length);
    const wrong = fixture.docs.filter((d) => got.get(d.name) !== d.counts[key]);
    const unexplained = wrong.filter((d) => !hasBom(d.text));
    assert.deepEqual(unexplained.map((d) => `${d.name}: ${got.get(d.name)} vs ${d.counts[key]}`), [], 'every count equals the reference, apart from U+FEFF');
    assert.ok(wrong.length <= 6, `${wrong.length} BOM documents differ`);
  });
}
