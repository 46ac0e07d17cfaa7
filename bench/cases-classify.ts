// The fastText classifier: a bigram model of dim 64, as DCLM's quality classifier is, trained here with
// Debian's fasttext on the bench corpus (a fixture step, cached beside the corpus).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Case, RunFigures } from './cases.js';
import type { CorpusSet } from './corpus.js';
import { sampleDocs } from './docs.js';
import { runChild, runCli } from './measure.js';
import { DATA_DIR, RUNS } from './settings.js';

const MODEL = join(DATA_DIR, 'fasttext', 'bigram-dim64.bin');
/** The same model with 4M n-gram buckets: a 1 GB file, for the memory a large model costs per worker. */
const BIG_MODEL = join(DATA_DIR, 'fasttext', 'bigram-dim64-4m-buckets.bin');
/** Docs the model is trained on: the sample the case then classifies. */
const TRAIN_OPTIONS = ['-dim', '64', '-wordNgrams', '2', '-loss', 'softmax', '-epoch', '2', '-thread', '2', '-seed', '1'];

function fastTextMissing(): string | undefined {
  return spawnSync('fasttext', [], { stdio: 'ignore' }).error ? 'needs the fasttext command (apt-get install fasttext) to train its model' : undefined;
}

/** A two-label rule on the text, as a quality classifier has two classes; the speed does not depend on what the labels mean. */
export const benchLabel = (text: string): string => (/\d/.test(text.slice(0, 300)) ? 'hq' : 'cc');

/** The bench model, trained once with fastText's default bucket count (2M rows of n-grams), or with `extra` options. */
async function ensureModel(small: CorpusSet, docs: number, model = MODEL, extra: string[] = []): Promise<string> {
  if (existsSync(model)) return model;
  const dir = join(DATA_DIR, 'fasttext');
  mkdirSync(dir, { recursive: true });
  const train = join(dir, 'train.txt');
  const lines = (await sampleDocs(small.dir, docs)).map((d) => `__label__${benchLabel(d.text)} ${d.text.replace(/[\r\n]+/g, ' ')}\n`);
  writeFileSync(train, lines.join(''));
  console.log(`training the fastText bench model in ${dir} (bigrams, dim 64) …`);
  const r = spawnSync('fasttext', ['supervised', '-input', train, '-output', join(dir, 'tmp-model'), ...TRAIN_OPTIONS, ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`fasttext supervised failed: ${r.stderr?.toString().slice(-500)}`);
  rmSync(join(dir, 'tmp-model.vec'), { force: true });
  rmSync(train);
  renameSync(join(dir, 'tmp-model.bin'), model);
  return model;
}

/**
 * `zyda classify` end to end with the 1 GB model: its peak RSS at 1 and 2 workers shows what each extra worker
 * costs (the model is read once per process into shared memory).
 */
function bigModelCase(small: CorpusSet, docs: number, workers: number): Case {
  return {
    id: `classify/fasttext-1gb/${workers}`,
    stage: 'classify fastText, 1 GB model',
    input: 'small',
    workers,
    runs: 1,
    note: 'single run; peak RSS of `zyda classify` with a 1 GB bigram model (4M buckets, dim 64): compare 1 and 2 workers',
    skip: fastTextMissing(),
    run: async (): Promise<RunFigures> => {
      const model = await ensureModel(small, docs, BIG_MODEL, ['-bucket', '4000000', '-epoch', '1']);
      const dir = mkdtempSync(join(tmpdir(), 'zyda-bench-classify-'));
      try {
        // Eight plain files, so that both workers have tasks and each loads (shares) the model.
        const sample = await sampleDocs(small.dir, docs);
        const input = join(dir, 'in');
        mkdirSync(input);
        for (let f = 0; f < 8; f++) writeFileSync(join(input, `part-${f}.jsonl`), sample.filter((_, i) => i % 8 === f).map((d) => JSON.stringify({ text: d.text })).join('\n') + '\n');
        const out = join(dir, 'out');
        const r = await runCli(['classify', '-i', input, '-o', out, '--classifier', 'quality', '--model', model, '--workers', String(workers), '--task-bytes', '1MB', '--progress', 'off']);
        const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { totals: { docs: number } };
        if (m.totals.docs !== sample.length) throw new Error(`classify wrote ${m.totals.docs} docs of ${sample.length}`);
        return { seconds: r.seconds, docs: m.totals.docs, bytes: sample.reduce((n, d) => n + Buffer.byteLength(d.text), 0), max_rss_kb: r.max_rss_kb };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export function classifyCases(small: CorpusSet, docs: number): Case[] {
  return [
    {
      id: 'classify/fasttext',
      stage: 'classify fastText bigrams dim 64',
      input: `small, ${docs} docs`,
      workers: 1,
      runs: RUNS,
      target: { metric: 'docs_per_s', op: '>=', value: 10_000 },
      note: "docs/s on one thread = per core; every label (k = -1) of each doc, newlines as spaces; labels and printed probabilities checked against `fasttext predict-prob` on every doc",
      skip: fastTextMissing(),
      run: async (): Promise<RunFigures> => {
        const model = await ensureModel(small, docs);
        const r = await runChild(['classify', model, small.dir, String(docs)]);
        return { ...r, bytes: r.text_bytes };
      },
    },
    bigModelCase(small, docs, 1),
    bigModelCase(small, docs, 2),
  ];
}
