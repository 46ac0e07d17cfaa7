import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lshShape } from '../dedup/lsh-shape.js';
import { dedupOptions } from '../dedup/options.js';
import { signatureCollector } from '../dedup/signatures.js';
import type { Doc } from '../core/types.js';
import type { CaseFigures } from './child.js';
import { sampleDocs, textBytes } from './docs.js';

/** Enough calls for the hashing loops to be optimised before the clock starts. */
const WARMUP_DOCS = 200;
/** About what the reader hands the stages per batch at the default batch_bytes (256 KB of ~2 KB docs). */
const BATCH_DOCS = 100;

/**
 * `dedup signatures <dir> <maxDocs> [datasketch]`: stage 1 of dedup alone, on one thread, as a worker runs it for one
 * task: signatureCollector (docHasher: normalise, 5-gram shingles, 128-permutation MinHash; no exact key, as by default; the
 * id hash; the band, sigs and docs records) over preloaded docs, then its finish (sort each band's
 * records, write them with checksums). Default options, or with `datasketch` Zyda's: compat: datasketch, 13-grams.
 * Its files go to a temp dir, removed afterwards.
 */
export async function run([what, dir, maxDocs, compat]: string[]): Promise<CaseFigures> {
  if (what !== 'signatures' || (compat !== undefined && compat !== 'datasketch')) throw new Error(`usage: child.js dedup signatures <dir> <maxDocs> [datasketch]`);
  const docs = await sampleDocs(dir, Number(maxDocs));
  const tmp = mkdtempSync(join(tmpdir(), 'zyda-bench-dedup-'));
  try {
    const tl = performance.now();
    const o = dedupOptions.parse(compat === 'datasketch' ? { compat, ngram: 13 } : {});
    const shape = lshShape(o);
    const loadSeconds = (performance.now() - tl) / 1000;

    // A throwaway task warms up the JIT and builds the normaliser's tables; task 0 is the one timed.
    const warm = signatureCollector(o, shape, 'warm', tmp);
    warm.add(docs.slice(0, WARMUP_DOCS));
    await warm.finish();
    const batches: Doc[][] = [];
    for (let i = 0; i < docs.length; i += BATCH_DOCS) batches.push(docs.slice(i, i + BATCH_DOCS));

    const t0 = performance.now();
    const collector = signatureCollector(o, shape, 'timed', tmp);
    for (const b of batches) collector.add(b);
    const t1 = performance.now();
    const artifact = await collector.finish();
    const t2 = performance.now();
    if (artifact.docs !== docs.length) throw new Error(`signatures saw ${artifact.docs} docs, expected ${docs.length}`);
    return {
      seconds: (t2 - t0) / 1000,
      docs: docs.length,
      text_bytes: textBytes(docs.map((d) => d.text)),
      extra: {
        load_seconds: round(loadSeconds),
        phase_add: round((t1 - t0) / 1000),
        phase_finish: round((t2 - t1) / 1000),
        empty: artifact.empty,
        lsh: `${shape.bands} bands × ${shape.rows} rows`,
      },
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;
