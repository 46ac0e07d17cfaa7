import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFastTextClassifier } from '../classifiers/fasttext.js';
import type { Classification } from '../classifiers/classifier.js';
import { formatLikeCout } from '../fasttext/print-format.js';
import type { CaseFigures } from './child.js';
import { sampleDocs, textBytes } from './docs.js';

const WARMUP_DOCS = 500;

/**
 * A fastText classifier over preloaded docs on one thread, each doc's newlines read as spaces (DCLM's recipe
 * replaces them; the classify stage asks the model to read them so), every label asked for. Then, untimed, `fasttext predict-prob` on the same lines:
 * any doc whose labels or printed probabilities differ fails the case.
 */
export async function run([model, dir, maxDocs]: string[]): Promise<CaseFigures> {
  const docs = await sampleDocs(dir, Number(maxDocs));
  const tl = performance.now();
  const classifier = loadFastTextClassifier(model, { newlines: 'space' });
  const loadSeconds = (performance.now() - tl) / 1000;
  const texts = docs.map((d) => d.text);
  classifier.classify(texts.slice(0, WARMUP_DOCS));

  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const results: Classification[] = [];
  for (const text of texts) results.push((classifier.classify([text]) as Classification[])[0]);
  const cpu = process.cpuUsage(cpu0);
  const seconds = (performance.now() - t0) / 1000;
  // CPU time of the process over the timed loop: on a loaded machine it varies less than wall time.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;

  const want = fastTextPredictions(model, texts.map(oneLine));
  let differ = 0;
  results.forEach((r, i) => {
    if (r.head !== 'labels' || r.labels.map((l, j) => `__label__${l} ${formatLikeCout(r.probs[j])}`).join(' ') !== want[i]) differ++;
  });
  if (differ > 0) throw new Error(`${differ} of ${docs.length} docs got other labels or probabilities than fasttext predict-prob`);
  const top = new Map<string, number>();
  for (const r of results) if (r.head === 'labels') top.set(r.labels[0], (top.get(r.labels[0]) ?? 0) + 1);
  return {
    seconds,
    docs: docs.length,
    text_bytes: textBytes(texts),
    extra: {
      load_seconds: Math.round(loadSeconds * 1000) / 1000,
      cpu_seconds: Math.round(cpuSeconds * 1000) / 1000,
      docs_per_cpu_s: Math.round(docs.length / cpuSeconds),
      same_as_fasttext: `${docs.length}/${docs.length}`,
      top_labels: [...top].map(([l, n]) => `${l} ${((100 * n) / docs.length).toFixed(1)}%`).join(', '),
    },
  };
}

const oneLine = (text: string): string => text.replace(/[\r\n]+/g, ' ');

function fastTextPredictions(model: string, lines: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'zyda-bench-ft-'));
  try {
    const input = join(dir, 'docs.txt');
    writeFileSync(input, lines.join('\n') + '\n');
    const r = spawnSync('fasttext', ['predict-prob', model, input, '-1', '0'], { maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`fasttext predict-prob failed: ${r.stderr?.toString()}`);
    return r.stdout.toString('utf8').split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
