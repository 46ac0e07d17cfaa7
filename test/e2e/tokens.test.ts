import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, duck, needsShared, ROOT, SHARED, shardGlob, tempDir, zyda } from '../helpers.js';

interface Fixture {
  docs: { name: string; text: string; counts: { neox: number } }[];
}

const fixture = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'token-counts.json'), 'utf8')) as Fixture;
const NEOX_IN_SHARED = 'data/tokenizers/gpt-neox-20b.tokenizer.json';
const NEOX = join(SHARED, NEOX_IN_SHARED);

test('the CLI writes the reference counts into parquet (NeoX tokenizer.json)', { skip: needsShared(NEOX_IN_SHARED) }, async () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'docs.jsonl'), fixture.docs.map((d) => JSON.stringify({ id: d.name, text: d.text })).join('\n') + '\n');
    const out = join(dir, 'out');
    const r = zyda(['tokens', '--input', join(dir, 'docs.jsonl'), '--id-field', 'id', '--tokenizer', NEOX, '-o', out, '--workers', '2']);
    assert.equal(r.code, 0, r.stderr);
    const rows = await duck<{ id: string; token_count: number }>(`SELECT id, token_count FROM read_parquet('${shardGlob(out)}')`);
    const got = new Map(rows.map((x) => [x.id, Number(x.token_count)]));
    assert.deepEqual(fixture.docs.filter((d) => got.get(d.name) !== d.counts.neox).map((d) => d.name), []);
  } finally {
    cleanup(dir);
  }
});
