import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';
import { fastTextClassifier, loadFastTextClassifier } from '../../classifiers/fasttext.js';
import type { Classification } from '../../classifiers/classifier.js';
import { loadFastTextModel } from '../../fasttext/model-reader.js';
import { formatLikeCout } from '../../fasttext/print-format.js';
import { wordNgramBuckets, wordNgramBucketsInJs } from '../../fasttext/word-ngrams.js';
import { needsShared, ROOT, SHARED } from '../helpers.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'fasttext-classifier');
const DEV = join(SHARED, 'data', 'dev');

interface Recorded {
  model: string;
  k: number;
  id: string;
  /** predict-prob's output line for the doc. */
  line: string;
}

/** What make_fasttext_classifier_fixtures.py recorded: one row per model and doc, in its order. */
function recorded(): Recorded[] {
  return gunzipSync(readFileSync(join(FIXTURES, 'predictions.tsv.gz')))
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [model, k, id, line] = l.split('\t');
      return { model, k: Number(k), id, line };
    });
}

/** Every dev doc's text by id. */
function devTexts(): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of ['reuters21578.jsonl.gz', 'multilingual_core_registers.jsonl.gz']) {
    for (const l of gunzipSync(readFileSync(join(DEV, file))).toString('utf8').split('\n')) {
      if (l === '') continue;
      const d = JSON.parse(l) as { id: string; text: string };
      out.set(d.id, d.text);
    }
  }
  return out;
}

/** Every dev doc by id, on one line as the fixture script wrote it (newlines to spaces). */
function devLines(): Map<string, string> {
  return new Map([...devTexts()].map(([id, text]) => [id, text.replaceAll('\r\n', ' ').replaceAll('\n', ' ')]));
}

/** A result as predict-prob prints it. */
function printed(c: Classification): string {
  assert.equal(c.head, 'labels');
  return c.labels.map((l, i) => `__label__${l} ${formatLikeCout(c.probs[i])}`).join(' ');
}

/** Why `fasttext` cannot be run here, or undefined; in CI it must be installed (.ci/run does). */
function needsFastText(): string | undefined {
  if (spawnSync('fasttext', [], { stdio: 'ignore' }).error === undefined) return undefined;
  const reason = 'needs the fasttext command (apt-get install fasttext), which is absent here';
  if (process.env.CI === 'true') throw new Error(`${reason}; CI must have it`);
  return reason;
}

function predictProb(model: string, lines: string[], k: number, threshold: number): string[] {
  const r = spawnSync('fasttext', ['predict-prob', model, '-', String(k), String(threshold)], { input: lines.join('\n') + '\n', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr?.toString());
  const out = r.stdout.toString('utf8').split('\n');
  assert.equal(out.pop(), '');
  return out;
}

test('every fixture model gives the labels and probabilities fastText printed, on 2,600 dev docs', (t) => {
  const skip = needsShared('data/dev');
  if (skip) return t.skip(skip);
  const docs = devLines();
  const rows = recorded();
  const models = [...new Set(rows.map((r) => r.model))];
  assert.deepEqual(models.sort(), ['hs-q.ftz', 'hs.bin', 'many-qout.ftz', 'many.bin', 'ns.bin', 'ova.bin', 'softmax1.bin', 'softmax2-qnorm.ftz', 'softmax2.bin']);
  for (const model of models) {
    const mine = rows.filter((r) => r.model === model);
    assert.ok(mine.length >= 2000, `${model}: ${mine.length} docs`);
    const classifier = loadFastTextClassifier(join(FIXTURES, model), { k: mine[0].k });
    assert.equal(classifier.backend, 'fasttext');
    const got = classifier.classify(mine.map((r) => docs.get(r.id) as string)) as Classification[];
    mine.forEach((r, i) => assert.equal(printed(got[i]), r.line, `${model} on ${r.id}`));
  }
  // The docs as they are, newlines and all, read with newlines as spaces.
  const texts = devTexts();
  const rows2 = rows.filter((r) => r.model === 'softmax2.bin');
  assert.ok(rows2.filter((r) => /[\r\n]/.test(texts.get(r.id) as string)).length > 1000);
  const spaced = loadFastTextClassifier(join(FIXTURES, 'softmax2.bin'), { k: rows2[0].k, newlines: 'space' });
  const got = spaced.classify(rows2.map((r) => texts.get(r.id) as string)) as Classification[];
  rows2.forEach((r, i) => assert.equal(printed(got[i]), r.line, `softmax2.bin, newlines as spaces, on ${r.id}`));
  // Equal probabilities whose order only the heap's algorithm decides are part of what is compared.
  const ties = rows.filter((r) => {
    const probs = r.line.split(' ').filter((_, i) => i % 2 === 1);
    return probs.some((p, i) => i > 0 && p === probs[i - 1]);
  });
  assert.ok(ties.length > 0, 'no tied probabilities in the fixtures');
});

test('fastText run now on the committed models agrees with zyda, also with k and a threshold', (t) => {
  const skip = needsShared('data/dev') ?? needsFastText();
  if (skip) return t.skip(skip);
  const docs = devLines();
  const rows = recorded().filter((r) => r.model === 'softmax2.bin');
  const lines = rows.map((r) => docs.get(r.id) as string);
  const cases: [string, number, number][] = [
    ['softmax1.bin', -1, 0],
    ['softmax2.bin', 3, 0],
    ['softmax2-qnorm.ftz', -1, 0.01],
    ['hs.bin', 2, 0.05],
    ['hs-q.ftz', -1, 0],
    ['ova.bin', 4, 0.1],
    ['ns.bin', -1, 0],
    ['many-qout.ftz', 7, 0.0033],
  ];
  for (const [model, k, threshold] of cases) {
    const want = predictProb(join(FIXTURES, model), lines, k, threshold);
    const got = loadFastTextClassifier(join(FIXTURES, model), { k, threshold }).classify(lines) as Classification[];
    want.forEach((w, i) => assert.equal(printed(got[i]), w, `${model} k=${k} threshold=${threshold} on ${rows[i].id}`));
  }
});

test('texts that give no input rows get no labels; a line ends at its first newline', () => {
  const c = loadFastTextClassifier(join(FIXTURES, 'softmax1.bin'));
  assert.equal(c.labels.length, 13);
  assert.ok(c.labels.every((l) => !l.startsWith('__label__')));
  const [cut, whole] = c.classify(['oil prices rose\nshares fell', 'oil prices rose']) as Classification[];
  assert.deepEqual(cut, whole);
  const spaced = loadFastTextClassifier(join(FIXTURES, 'softmax1.bin'), { newlines: 'space' });
  const texts = ['oil prices rose\r\n\nshares fell\n', '\n\noil\rprices </s> rose\nshares', '\n', 'oil prices rose\n\n'];
  assert.deepEqual(spaced.classify(texts), c.classify(texts.map((t) => t.replace(/[\r\n]+/g, ' '))));
  assert.notDeepEqual(spaced.classify([texts[0]]), c.classify([texts[0]]));
  const [top] = loadFastTextClassifier(join(FIXTURES, 'softmax1.bin'), { k: 1 }).classify(['oil prices rose']) as Classification[];
  assert.deepEqual(top, { head: 'labels', labels: whole.head === 'labels' ? whole.labels.slice(0, 1) : [], probs: whole.head === 'labels' ? whole.probs.slice(0, 1) : [] });
  assert.throws(() => loadFastTextClassifier(join(FIXTURES, 'softmax1.bin'), { k: 0 }), /k must be/);
});

test('clear errors for a file that is not a fastText model, a truncated one and a word-vector model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zyda-ft-'));
  try {
    const good = readFileSync(join(FIXTURES, 'softmax2.bin'));
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'this is not a model\n');
    assert.throws(() => loadFastTextClassifier(text), (e: Error) => e.message.includes(text) && /not a fastText model/.test(e.message));
    const cut = join(dir, 'cut.bin');
    writeFileSync(cut, good.subarray(0, good.length - 100));
    assert.throws(() => loadFastTextClassifier(cut), (e: Error) => e.message.includes(cut) && /truncated/.test(e.message));
    // args: magic, version, dim, ws, epoch, minCount, neg, wordNgrams, loss, then the model type (1 = cbow)
    const cbow = Buffer.from(good);
    cbow.writeInt32LE(1, 4 * 9);
    const vectors = join(dir, 'cbow.bin');
    writeFileSync(vectors, cbow);
    assert.throws(() => loadFastTextClassifier(vectors), (e: Error) => e.message.includes(vectors) && /cbow model .*not a supervised classifier/.test(e.message));
    assert.throws(() => loadFastTextClassifier(join(dir, 'absent.bin')), /cannot read fastText model/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const file of ['many-qout.ftz', 'many.bin']) {
  test(`a model read into shared memory predicts the same, and a worker thread uses it without a copy (${file})`, async () => {
    const path = join(FIXTURES, file);
    const texts = ['Crude oil prices rose sharply on Tuesday', 'Le gouvernement a annoncé une réforme', 'earnings per share rose 12 pct'];
    const model = loadFastTextModel(path, { shared: true });
    assert.ok(model.input.buffer instanceof SharedArrayBuffer && model.output.buffer instanceof SharedArrayBuffer);
    // A dense input matrix is a view of the WebAssembly memory the file was read into, summed there.
    assert.equal(model.memory !== undefined, file.endsWith('.bin'));
    const want = loadFastTextClassifier(path, { k: 5 }).classify(texts);
    assert.deepEqual(fastTextClassifier(model, { k: 5 }).classify(texts), want);

    const url = new URL('../../classifiers/fasttext.js', import.meta.url).href;
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      import(workerData.url).then(({ fastTextClassifier }) => {
        const { model, texts } = workerData;
        const shared = model.input.buffer instanceof SharedArrayBuffer;
        model.input[0] = 12345; // seen by the main thread only if the memory is shared
        parentPort.postMessage({ shared, out: fastTextClassifier(model, { k: 5 }).classify(texts) });
      });`;
    const before = model.input[0];
    const reply = await new Promise<{ shared: boolean; out: Classification[] }>((resolve, reject) => {
      const w = new Worker(code, { eval: true, workerData: { url, model, texts } });
      w.once('message', resolve);
      w.once('error', reject);
    });
    assert.equal(reply.shared, true);
    assert.equal(model.input[0], 12345);
    model.input[0] = before;
    assert.deepEqual(reply.out, want);
  });
}

test('probabilities print as C++ streams print them: 6 significant digits, %g, ties to even', () => {
  assert.equal(formatLikeCout(0.4419746994972229), '0.441975');
  assert.equal(formatLikeCout(1), '1');
  assert.equal(formatLikeCout(0.5), '0.5');
  assert.equal(formatLikeCout(1.0000100135803223), '1.00001');
  assert.equal(formatLikeCout(Math.fround(1e-5)), '1e-05');
  assert.equal(formatLikeCout(6.7293e-5), '6.7293e-05');
  assert.equal(formatLikeCout(0.0001), '0.0001');
  assert.equal(formatLikeCout(123456789), '1.23457e+08');
  assert.equal(formatLikeCout(999999.5), '1e+06');
  // 2^-10 = 0.0009765625 is an exact tie at the 7th digit: printf keeps the even 2
  assert.equal(formatLikeCout(2 ** -10), '0.000976562');
  assert.equal(formatLikeCout(2 ** -10 * 3), '0.00292969');
});

test('word n-gram buckets: the wasm and the double arithmetic both equal the BigInt computation', () => {
  const mask = (1n << 64n) - 1n;
  let seed = 7;
  const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) | 0);
  for (const bucket of [1, 2000, 2_000_000, 10_000_019, 2 ** 31 - 1]) {
    for (const n of [2, 3, 5]) {
      const hashes = Int32Array.from({ length: 40 }, next);
      hashes[0] = -1;
      hashes[1] = 2 ** 31 - 1;
      hashes[2] = -(2 ** 31);
      const want: number[] = [];
      for (let i = 0; i < hashes.length; i++) {
        let h = BigInt(hashes[i]) & mask;
        for (let j = i + 1; j < hashes.length && j < i + n; j++) {
          h = (h * 116049371n + (BigInt(hashes[j]) & mask)) & mask;
          want.push(Number(h % BigInt(bucket)));
        }
      }
      for (const buckets of [wordNgramBuckets, wordNgramBucketsInJs]) {
        const out = new Int32Array(hashes.length * (n - 1));
        const count = buckets(hashes, hashes.length, n, bucket, out);
        assert.deepEqual(Array.from(out.subarray(0, count)), want, `${buckets.name}: bucket ${bucket}, ${n}-grams`);
      }
    }
  }
});

test('word n-gram buckets of a line too long for the wasm memory it started with', () => {
  let seed = 11;
  const hashes = Int32Array.from({ length: 50_000 }, () => (seed = (Math.imul(seed, 1103515245) + 12345) | 0));
  const [wasm, js] = [wordNgramBuckets, wordNgramBucketsInJs].map((buckets) => {
    const out = new Int32Array(hashes.length * 4);
    return Array.from(out.subarray(0, buckets(hashes, hashes.length, 5, 2_000_000, out)));
  });
  assert.equal(wasm.length, 50_000 * 4 - 10);
  assert.deepEqual(wasm, js);
});
