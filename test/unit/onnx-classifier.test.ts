import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadOnnxClassifier } from '../../classifiers/onnx/index.js';
import { modelConfig } from '../../classifiers/onnx/model-config.js';
import { openSession } from '../../classifiers/onnx/session.js';
import { loadModelEncoder } from '../../tokenizers/model-encoder.js';
import { ConfigError } from '../../core/errors.js';
import { ROOT } from '../helpers.js';

/** Made by test/fixtures/make_transformer_fixtures.py: PyTorch's token ids and logits for each fixture model. */
const FIXTURES = join(ROOT, 'test', 'fixtures', 'transformers');
type Reference = { family: string; max_tokens: number; logits: number[][] };
const docs: { key: string; text: string }[] = gunzipSync(readFileSync(join(FIXTURES, 'docs.jsonl.gz')))
  .toString('utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));
const fixture: { ids: Record<string, number[][]>; models: Record<string, Reference> } = JSON.parse(
  gunzipSync(readFileSync(join(FIXTURES, 'reference.json.gz'))).toString('utf8'),
);
const reference = fixture.models;
const idsOf = (model: string) => fixture.ids[reference[model].family];
const MODELS = Object.keys(reference);
const texts = docs.map((d) => d.text);
const file = (model: string, name: string) => join(FIXTURES, model, name);
const TOLERANCE = 1e-4;

const argmax = (xs: readonly number[]) => xs.indexOf(Math.max(...xs));

test('the fixture covers both heads, the three tokenizer kinds (WordPiece, Unigram, byte-level BPE), and truncation', () => {
  assert.ok(docs.length >= 500, `${docs.length} docs`);
  assert.deepEqual([...MODELS].sort(), ['bert-cls', 'bert-reg', 'deberta-cls', 'quality', 'roberta-cls']);
  for (const model of MODELS) {
    const { max_tokens } = reference[model];
    const ids = idsOf(model);
    const truncated = ids.filter((x) => x.length === max_tokens).length;
    assert.ok(truncated >= 50 && truncated < docs.length - 50, `${model}: ${truncated} docs at the limit`);
  }
});

for (const model of MODELS) {
  test(`${model}: token ids equal the Python tokenizer's with truncation=True, max_length`, async () => {
    const { max_tokens } = reference[model];
    const ids = idsOf(model);
    const encoder = await loadModelEncoder(file(model, 'tokenizer.json'));
    const mismatched = docs.filter((d, i) => JSON.stringify(encoder.encode(d.text, max_tokens).ids) !== JSON.stringify(ids[i]));
    assert.deepEqual(mismatched.map((d) => d.key), []);
  });

  test(`${model}: logits within ${TOLERANCE} of PyTorch's, same argmax`, async () => {
    const { logits, max_tokens } = reference[model];
    const ids = idsOf(model);
    const encoder = await loadModelEncoder(file(model, 'tokenizer.json'));
    const session = await openSession(file(model, 'model.onnx'), { threads: 1 });
    let worst = 0;
    for (let i = 0; i < docs.length; i++) {
      const input = encoder.encode(docs[i].text, max_tokens);
      assert.deepEqual(input.ids, ids[i]);
      const [row] = await session.run([input]);
      for (let j = 0; j < row.length; j++) worst = Math.max(worst, Math.abs(row[j] - logits[i][j]));
      if (row.length > 1) assert.equal(argmax([...row]), argmax(logits[i]), docs[i].key);
    }
    assert.ok(worst <= TOLERANCE, `largest difference ${worst}`);
  });

  test(`${model}: the classifier's labels and scores are PyTorch's`, async () => {
    const { logits } = reference[model];
    const classifier = await loadOnnxClassifier({ model: file(model, 'model.onnx'), tokenizer: file(model, 'tokenizer.json') });
    assert.equal(classifier.backend, 'onnx');
    const results = await classifier.classify(texts);
    const config = JSON.parse(readFileSync(file(model, 'config.json'), 'utf8'));
    results.forEach((r, i) => {
      if (r.head === 'score') {
        assert.equal(classifier.head, 'score');
        assert.ok(Math.abs(r.score - logits[i][0]) <= TOLERANCE, `${docs[i].key}: ${r.score} vs ${logits[i][0]}`);
        return;
      }
      assert.equal(r.labels[0], config.id2label[String(argmax(logits[i]))], docs[i].key);
      const exps = logits[i].map((x) => Math.exp(x - Math.max(...logits[i])));
      const sum = exps.reduce((a, b) => a + b, 0);
      r.labels.forEach((label, k) => {
        const expected = exps[classifier.labels.indexOf(label)] / sum;
        assert.ok(Math.abs(r.probs[k] - expected) <= TOLERANCE, `${docs[i].key} ${label}: ${r.probs[k]} vs ${expected}`);
      });
      assert.ok(r.probs.every((p, k) => k === 0 || p <= r.probs[k - 1]));
    });
  });
}

test('shareWeights gives the labels of PyTorch too', async () => {
  const { logits } = reference['deberta-cls'];
  const classifier = await loadOnnxClassifier({ model: file('deberta-cls', 'model.onnx'), tokenizer: file('deberta-cls', 'tokenizer.json'), shareWeights: true });
  const results = await classifier.classify(texts);
  results.forEach((r, i) => assert.equal(r.head === 'labels' && r.labels[0], ['High', 'Medium', 'Low'][argmax(logits[i])], docs[i].key));
});

test('a doc gets the same bits alone as inside any batch', async () => {
  for (const [model, shareWeights] of [['deberta-cls', false], ['bert-reg', false], ['quality', false], ['quality', true]] as const) {
    const classifier = await loadOnnxClassifier({ model: file(model, 'model.onnx'), tokenizer: file(model, 'tokenizer.json'), batchSize: 8, shareWeights });
    const together = await classifier.classify(texts);
    const reversed = (await classifier.classify([...texts].reverse())).reverse();
    assert.deepEqual(reversed, together);
    for (let i = 0; i < texts.length; i += 37) assert.deepEqual(await classifier.classify([texts[i]]), [together[i]], docs[i].key);
  }
});

test('labels come from config.json; without it from the option, and a wrong count is named', async () => {
  const classifier = await loadOnnxClassifier({ model: file('quality', 'model.onnx'), tokenizer: file('quality', 'tokenizer.json') });
  assert.deepEqual(classifier.labels, ['High', 'Low', 'Medium']);
  const dir = mkdtempSync(join(tmpdir(), 'zyda-onnx-'));
  try {
    copyFileSync(file('bert-cls', 'model.onnx'), join(dir, 'model.onnx'));
    const model = join(dir, 'model.onnx');
    const tokenizer = file('bert-cls', 'tokenizer.json');
    await assert.rejects(loadOnnxClassifier({ model, tokenizer, maxTokens: 64 }), /no config.json with id2label beside it and no labels given/);
    await assert.rejects(loadOnnxClassifier({ model, tokenizer, labels: ['a', 'b', 'c'] }), /token limit; set max tokens/);
    const named = await loadOnnxClassifier({ model, tokenizer, labels: ['a', 'b', 'c'], maxTokens: 64 });
    assert.deepEqual(named.labels, ['a', 'b', 'c']);
    const twoLabels = await loadOnnxClassifier({ model, tokenizer, labels: ['a', 'b'], maxTokens: 64 });
    await assert.rejects(Promise.resolve().then(() => twoLabels.classify(['some text'])), /gives 3 outputs per doc, but its labels are 2/);
    await assert.rejects(
      loadOnnxClassifier({ model: file('bert-cls', 'model.onnx'), tokenizer, labels: ['High', 'Low', 'Bad'] }),
      /differ from its config.json's id2label/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the token limit is the position table's, less RoBERTa's offset", () => {
  const dir = mkdtempSync(join(tmpdir(), 'zyda-onnx-'));
  try {
    const limit = (config: object) => {
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ id2label: { 0: 'bad', 1: 'good' }, ...config }));
      return modelConfig(join(dir, 'model.onnx'), undefined).maxPositions;
    };
    assert.equal(limit({ model_type: 'bert', max_position_embeddings: 512 }), 512);
    assert.equal(limit({ model_type: 'roberta', max_position_embeddings: 514, pad_token_id: 1 }), 512);
    assert.equal(limit({ model_type: 'xlm-roberta', max_position_embeddings: 514, pad_token_id: 1 }), 512);
    assert.equal(limit({ model_type: 'deberta-v2' }), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing or corrupt model, a missing tokenizer and a model of other inputs fail with what is wrong', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zyda-onnx-'));
  try {
    const tokenizer = file('bert-cls', 'tokenizer.json');
    const labels = ['a', 'b', 'c'];
    const isConfigError = (pattern: RegExp) => (err: unknown) => err instanceof ConfigError && pattern.test(err.message);
    await assert.rejects(loadOnnxClassifier({ model: join(dir, 'absent.onnx'), tokenizer, labels, maxTokens: 8 }), isConfigError(/absent.onnx: no such file/));
    writeFileSync(join(dir, 'corrupt.onnx'), readFileSync(file('bert-cls', 'model.onnx')).subarray(0, 5000));
    await assert.rejects(loadOnnxClassifier({ model: join(dir, 'corrupt.onnx'), tokenizer, labels, maxTokens: 8 }), isConfigError(/corrupt.onnx: onnxruntime cannot load it/));
    await assert.rejects(
      loadOnnxClassifier({ model: file('bert-cls', 'model.onnx'), tokenizer: join(dir, 'absent.json') }),
      isConfigError(/absent.json: cannot read a tokenizer.json/),
    );
    await assert.rejects(
      loadOnnxClassifier({ model: join(FIXTURES, 'not-a-classifier.onnx'), tokenizer, labels, maxTokens: 8 }),
      isConfigError(/takes inputs \["pixel_values"\]; a sequence classifier takes input_ids/),
    );
    await assert.rejects(
      loadOnnxClassifier({ model: file('bert-cls', 'model.onnx'), tokenizer, maxTokens: 1 }).then((c) => c.classify(['x'])),
      isConfigError(/max tokens 1 leaves no room beside the 2 special tokens/),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
