/**
 * Checks our lid.176 engine against fasttext.wasm.js (fastText's own C++ built to wasm) doc by doc:
 *   node dist/scripts/langid-compare.js [corpus dir or .jsonl.gz file]… [--limit N]
 * With no paths it reads shared/data/dev/*.jsonl.gz, the bench sample and a set of hostile texts. Each doc
 * is predicted twice: as the langid stage sends it (newlines made spaces) and raw (fastText stops at the first
 * \n). Prints label mismatches and the largest score difference; exits 1 on any label mismatch.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { sampleDocs } from '../bench/docs.js';
import { lid176 } from '../langid/lid176.js';
import { oracle, hostileTexts } from '../test/langid-oracle.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const limitAt = args.indexOf('--limit');
const limit = limitAt >= 0 ? Number(args.splice(limitAt, 2)[1]) : Infinity;

async function texts(path: string): Promise<string[]> {
  if (path.endsWith('.jsonl.gz')) {
    const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n').filter((l) => l !== '');
    return lines.slice(0, limit).map((l) => (JSON.parse(l) as { text: string }).text);
  }
  return (await sampleDocs(path, limit)).map((d) => d.text);
}

const sets: [string, string[]][] = [];
if (args.length > 0) for (const p of args) sets.push([p, await texts(p)]);
else {
  const dev = join(root, '..', 'shared', 'data', 'dev');
  if (existsSync(dev)) for (const f of readdirSync(dev).filter((x) => x.endsWith('.jsonl.gz'))) sets.push([f, await texts(join(dev, f))]);
  sets.push(['bench/data/small', await texts(join(root, 'bench', 'data', 'small'))]);
  sets.push(['hostile', hostileTexts()]);
}

const fast = lid176();
const slow = await oracle();
let mismatches = 0;
for (const [name, docs] of sets) {
  let maxDiff = 0;
  let exact = 0;
  let n = 0;
  for (const text of docs) {
    for (const line of [text.replace(/[\r\n]+/g, ' '), text]) {
      const want = slow(line);
      const got = fast.predict(line);
      n++;
      if (got?.label !== want?.label) {
        mismatches++;
        if (mismatches <= 10) console.log(`${name}: label ${got?.label} != ${want?.label} for ${JSON.stringify(line.slice(0, 80))}`);
        continue;
      }
      const d = Math.abs((got?.score ?? 0) - (want?.score ?? 0));
      if (d === 0) exact++;
      maxDiff = Math.max(maxDiff, d);
    }
  }
  console.log(`${name}: ${n} predictions (${docs.length} docs, joined and raw), ${exact} scores bit-identical, max |score diff| ${maxDiff.toExponential(2)}`);
}
console.log(mismatches === 0 ? 'labels: all equal' : `labels: ${mismatches} mismatches`);
process.exitCode = mismatches === 0 ? 0 : 1;
