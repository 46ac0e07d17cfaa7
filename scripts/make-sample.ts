// Generates the bundled sample corpus under sample/ from text shipped inside npm
// devDependencies. The output is a fixture: every byte must be reproducible, so
// the only randomness is a seeded PRNG and nothing reads the clock or the
// environment into the output. The parts are in scripts/sample/.
//
//   node dist/scripts/make-sample.js [outDir]     (default: <repo>/sample)

import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildCorpus } from './sample/corpus.js';
import { type Planted, plantedOf } from './sample/planted.js';
import { readme } from './sample/readme.js';
import type { AnyRecord, Corpus } from './sample/records.js';
import { GENERATOR_VERSION } from './sample/settings.js';
import { type DocRef, writeBooks, writeEmails, writeWeb } from './sample/write.js';

export { GENERATOR_VERSION };

function isComplete(outDir: string): boolean {
  try {
    return readFileSync(join(outDir, '.complete'), 'utf8').trim() === GENERATOR_VERSION;
  } catch {
    return false;
  }
}

/** outDir is replaced wholesale, so make sure a typo in the argument cannot wipe someone's folder. */
function assertReplaceable(outDir: string): void {
  if (!existsSync(outDir)) return;
  const entries = readdirSync(outDir);
  if (entries.length === 0 || entries.includes('.complete') || entries.includes('planted.json')) return;
  throw new Error(`${outDir} exists and does not look like a sample corpus; refusing to replace it`);
}

function writeCorpus(dir: string, corpus: Corpus): Planted {
  const refs = new Map<AnyRecord, DocRef>();
  const files = [...writeWeb(dir, corpus.web, refs), writeBooks(dir, corpus.books, refs), writeEmails(dir, corpus.emails, refs)];
  const planted = plantedOf(corpus, refs, files);
  writeFileSync(join(dir, 'planted.json'), JSON.stringify(planted, null, 2) + '\n');
  writeFileSync(join(dir, 'README.md'), readme(planted, corpus.packages));
  return planted;
}

export interface SampleResult {
  outDir: string;
  /** False when an up-to-date sample was already there. */
  generated: boolean;
  planted?: Planted;
}

/** Writes the sample corpus to outDir, or does nothing if an up-to-date one is already there. */
export function makeSample(outDir: string): SampleResult {
  const target = resolve(outDir);
  if (isComplete(target)) return { outDir: target, generated: false };
  assertReplaceable(target);

  const tmp = `${target}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    const planted = writeCorpus(tmp, buildCorpus());
    // .complete goes in before the rename, so the folder appears whole or not at all.
    writeFileSync(join(tmp, '.complete'), `${GENERATOR_VERSION}\n`);
    rmSync(target, { recursive: true, force: true });
    try {
      renameSync(tmp, target);
    } catch (err) {
      // Another process (say, two concurrent npm installs) finished first; theirs is as good as ours.
      if (!isComplete(target)) throw err;
      rmSync(tmp, { recursive: true, force: true });
    }
    if (planted.incidental.length > 0) {
      process.stderr.write(`make-sample: warning: ${planted.incidental.length} unplanted overlapping pairs, see planted.json\n`);
    }
    return { outDir: target, generated: true, planted };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

function defaultOutDir(): string {
  // Compiled to dist/scripts/, so the repo root is two levels up.
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'sample');
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

function main(): void {
  const started = performance.now();
  const result = makeSample(process.argv[2] ?? defaultOutDir());
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (!result.generated) {
    console.log(`make-sample: ${result.outDir} is up to date (${GENERATOR_VERSION})`);
    return;
  }
  console.log(`make-sample: wrote ${result.outDir} in ${seconds}s`);
  for (const f of result.planted?.files ?? []) console.log(`  ${f.path}: ${f.docs} docs, ${f.bytes} bytes`);
}

if (invokedDirectly()) {
  try {
    main();
  } catch (err) {
    console.error(`make-sample: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
