// Checks that the Gopher, C4 and FineWeb presets decide exactly as their reference copies (test/reference/)
// did, over the bench corpus, every doc of the shared dev data and the edge-case texts:
//   node dist/scripts/compare-filters.js [bench corpus dir] [dev data dir] [max docs per set]
// Exits 1 on any difference in verdict, reason, features or cleaned text.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sampleDocs } from '../bench/docs.js';
import { compareAll, edgeDocs, readDevFile } from '../test/reference/compare.js';

const [benchDir = 'bench/data/small', devDir = '/work/shared/data/dev', max = 'Infinity'] = process.argv.slice(2);
const limit = Number(max);

const sets: [string, () => Promise<import('../core/types.js').Doc[]>][] = [
  ['edge cases', async () => edgeDocs()],
  [benchDir, () => sampleDocs(benchDir, limit)],
  ...readdirSync(devDir)
    .filter((f) => f.endsWith('.jsonl.gz'))
    .map((f): [string, () => Promise<import('../core/types.js').Doc[]>] => [f, async () => readDevFile(join(devDir, f), limit)]),
];

let failed = false;
for (const [name, load] of sets) {
  const docs = await load();
  const t0 = performance.now();
  const r = compareAll(docs);
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`${name}: ${r.docs} docs, ${r.checks} comparisons, ${r.mismatches.length} mismatches (${secs}s)`);
  console.log(`  reference drops (defaults): ${JSON.stringify(r.reasons)}`);
  for (const m of r.mismatches) console.log(`  MISMATCH ${m.doc} ${m.filter} ${m.options}: ${m.what.slice(0, 400)}`);
  if (r.mismatches.length) failed = true;
}
process.exit(failed ? 1 : 0);
