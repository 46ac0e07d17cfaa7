// The full oracle comparison for the Zyda filter: every bench doc, every dev doc, the sample corpus and a large
// adversarial set, each through the current code and the frozen starting copy (test/reference/zyda/).
//   node dist/bench/zyda-compare.js [fuzzCount]
// Prints per-corpus counts (docs, drops by reason, disagreements) and exits 1 on any disagreement.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTIN_FILTERS } from '../filters/builtins.js';
import { adversarialTexts } from '../test/zyda-adversarial.js';
import { disagreement } from '../test/zyda-oracle.js';
import { realTexts } from '../test/zyda-real-texts.js';

const zydaFilter = BUILTIN_FILTERS.zyda;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const decide = zydaFilter.create(zydaFilter.options.parse({}));

const corpora = await realTexts(ROOT, join(ROOT, '..', 'shared'), { bench: 1e9, every: 1 });
corpora.set('adversarial', adversarialTexts(Number(process.argv[2] ?? 30000)));

let failed = 0;
for (const [name, texts] of corpora) {
  const drops = new Map<string, number>();
  let bad = 0;
  for (const text of texts) {
    const why = disagreement(text);
    if (why !== undefined) {
      if (bad++ < 3) console.log(`  ${name}: ${why}\n    text ${JSON.stringify(text.slice(0, 200))}`);
    }
    const v = decide({ id: 'x', source: 'web', meta: {}, text });
    if (!v.keep) drops.set(v.reason, (drops.get(v.reason) ?? 0) + 1);
  }
  failed += bad;
  const reasons = [...drops].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${n}`).join(', ');
  console.log(`${name}: ${texts.length} docs, ${bad} disagreements; drops: ${reasons || 'none'}`);
}
process.exitCode = failed > 0 ? 1 : 0;
