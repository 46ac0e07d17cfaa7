import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, duck, readManifestJson, shardGlob, tempDir, zyda } from '../helpers.js';

const WORDS = 'amber basin cedar delta ember fjord grove harbor island jungle kettle lagoon meadow north orchard prairie quarry river summit tundra upland valley willow yonder zenith'.split(' ');
/** Distinct texts for distinct i: each its own shuffle of the words. */
const text = (i: number) => Array.from({ length: 40 }, (_, k) => WORDS[(k * (i + 3) + i * 7) % WORDS.length] + String((k * 31 + i * 17) % 97)).join(' ');

test('two zyda outputs as --input keep their own source names and ranks, so --scope across finds duplicates', async () => {
  const dir = tempDir();
  try {
    // Three docs of each source are the same text: across-source duplicates that the worse-ranked web loses.
    writeFileSync(join(dir, 'web.jsonl'), [0, 1, 2, 10, 11].map((i) => JSON.stringify({ text: text(i) })).join('\n') + '\n');
    writeFileSync(join(dir, 'books.jsonl'), [0, 1, 2, 20].map((i) => JSON.stringify({ text: text(i) })).join('\n') + '\n');
    assert.equal(zyda(['tokens', '-i', join(dir, 'web.jsonl'), '--source', 'web', '--rank', '1', '-o', join(dir, 'a')]).code, 0);
    assert.equal(zyda(['tokens', '-i', join(dir, 'books.jsonl'), '--source', 'books', '--rank', '0', '-o', join(dir, 'b')]).code, 0);

    const r = zyda(['dedup', '--input', join(dir, 'a'), join(dir, 'b'), '--scope', 'across', '-o', join(dir, 'd')]);
    assert.equal(r.code, 0, r.stderr);
    const m = readManifestJson(join(dir, 'd'));
    assert.deepEqual(Object.fromEntries(Object.entries(m.sources).map(([name, s]) => [name, s.rank])), { web: 1, books: 0 });
    assert.equal(m.accounting.by_source.web.written, 2);
    assert.equal(m.accounting.by_source.books.written, 4);
    const rows = await duck<{ source: string; n: bigint }>(`SELECT source, count(*) AS n FROM read_parquet('${shardGlob(join(dir, 'd'))}') GROUP BY source ORDER BY source`);
    assert.deepEqual(rows.map((x) => [x.source, Number(x.n)]), [['books', 4], ['web', 2]]);

    // A name both outputs have would give two docs one id: a usage error naming both.
    assert.equal(zyda(['tokens', '-i', join(dir, 'books.jsonl'), '--source', 'web', '-o', join(dir, 'c')]).code, 0);
    const clash = zyda(['tokens', '--input', join(dir, 'a'), join(dir, 'c'), '-o', join(dir, 'e')]);
    assert.equal(clash.code, 2);
    assert.match(clash.stderr, /--input: .*\/a and .*\/c both have a source web/);
  } finally {
    cleanup(dir);
  }
});
