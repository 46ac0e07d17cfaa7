import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { encode as gptTokenizerR50k } from 'gpt-tokenizer/encoding/r50k_base';
import { loadTokenizer } from '../../tokenizers/tokenizer.js';
import { cleanup, needsShared, ROOT, SHARED, tempDir } from '../helpers.js';

type Key = 'gpt2' | 'cl100k_base' | 'o200k_base' | 'neox';
interface Fixture {
  docs: { name: string; text: string; counts: Record<Key, number> }[];
}
interface DevFixture {
  docs: { file: string; line: number; sha256: string; counts: Record<Key, number> }[];
}

const fixture = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'token-counts.json'), 'utf8')) as Fixture;
const NEOX_IN_SHARED = 'data/tokenizers/gpt-neox-20b.tokenizer.json';
const NEOX = join(SHARED, NEOX_IN_SHARED);
const noNeox = needsShared(NEOX_IN_SHARED);
const haveNeox = noNeox === undefined;
const SPECS: [Key, string, string | undefined][] = [
  ['gpt2', 'gpt2', undefined],
  ['cl100k_base', 'cl100k_base', undefined],
  ['o200k_base', 'o200k_base', undefined],
  ['neox', NEOX, noNeox],
];

for (const [key, spec, skip] of SPECS) {
  test(`${key}: every count equals the Rust reference on ${fixture.docs.length} real and adversarial docs`, { skip }, async () => {
    const tok = await loadTokenizer(spec);
    assert.equal(tok.engine, 'zyda-bpe');
    const wrong = fixture.docs.filter((d) => tok.count(d.text) !== d.counts[key]).map((d) => `${d.name}: ${tok.count(d.text)} vs ${d.counts[key]}`);
    assert.deepEqual(wrong, []);
    // count() answers from a cache the second time; it must agree with encode(), which never uses it.
    for (const d of fixture.docs.slice(0, 60)) assert.equal(tok.encode(d.text).length, d.counts[key], d.name);
  });
}

const devFixture = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'token-counts-dev.json'), 'utf8')) as DevFixture;
const devDir = join(SHARED, 'data', 'dev');

test(`every count equals the Rust reference on ${devFixture.docs.length} real documents of shared/data/dev`, { skip: needsShared('data/dev') ?? noNeox }, async () => {
  const texts = new Map<string, string[]>();
  for (const file of new Set(devFixture.docs.map((d) => d.file))) {
    texts.set(file, gunzipSync(readFileSync(join(devDir, file))).toString('utf8').split('\n').filter((l) => l !== '').map((l) => (JSON.parse(l) as { text: string }).text));
  }
  for (const [key, spec] of SPECS) {
    const tok = await loadTokenizer(spec);
    const wrong: string[] = [];
    for (const d of devFixture.docs) {
      const text = texts.get(d.file)![d.line - 1];
      assert.equal(createHash('sha256').update(text).digest('hex').slice(0, 16), d.sha256, `${d.file}:${d.line} is the text the fixture counted`);
      if (tok.count(text) !== d.counts[key]) wrong.push(`${d.file}:${d.line}`);
    }
    assert.deepEqual(wrong, [], `${key} mismatches`);
  }
});

test('ids equal an independent implementation (gpt-tokenizer r50k) on text without U+FEFF', async () => {
  const tok = await loadTokenizer('gpt2');
  const opts = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };
  for (const d of fixture.docs) {
    if (d.text.includes('\uFEFF') || d.text.length > 20_000) continue;
    assert.deepEqual(tok.encode(d.text), gptTokenizerR50k(d.text, opts), d.name);
  }
});

test('lone surrogates count as U+FFFD, the replacement UTF-8 encoders write', async () => {
  for (const spec of ['gpt2', 'cl100k_base', 'o200k_base', ...(haveNeox ? [NEOX] : [])]) {
    const tok = await loadTokenizer(spec);
    assert.equal(tok.count('a\uD800b \uDFFF end'), tok.count('a\uFFFDb \uFFFD end'), spec);
    assert.deepEqual(tok.encode('x\uDBFF'), tok.encode('x\uFFFD'), spec);
  }
});

interface HfFixture {
  generator: { files: Record<string, { path: string }> };
  counts: Record<string, Record<string, number>>;
}
const hfFixture = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'token-counts-hf.json'), 'utf8')) as HfFixture;

/** The fixture's texts: the adversarial/real set by name, and every 40th dev doc by file:line. */
function hfTexts(): Map<string, string> {
  const texts = new Map(fixture.docs.map((d) => [d.name, d.text]));
  for (const file of ['multilingual_core_registers.jsonl.gz', 'reuters21578.jsonl.gz']) {
    const lines = gunzipSync(readFileSync(join(devDir, file))).toString('utf8').split('\n').filter((l) => l !== '');
    lines.forEach((l, i) => i % 40 === 0 && texts.set(`${file}:${i + 1}`, (JSON.parse(l) as { text: string }).text));
  }
  return texts;
}

for (const [name, engine] of [['llama3', 'zyda-bpe'], ['qwen3', 'zyda-bpe'], ['llama2', 'huggingface']] as const) {
  const file = join(ROOT, hfFixture.generator.files[name].path);
  const skip = (!existsSync(file) && `${file} is not installed`) || needsShared('data/dev');
  test(`${name} tokenizer.json (${engine}): counts equal the Python tokenizers reference`, { skip }, async () => {
    const tok = await loadTokenizer(file);
    assert.equal(tok.engine, engine, name === 'llama2' ? 'SentencePiece-style BPE goes to @huggingface/tokenizers' : 'byte-level BPE uses our engine');
    const texts = hfTexts();
    const wrong = Object.entries(hfFixture.counts[name]).filter(([k, n]) => tok.count(texts.get(k)!) !== n).map(([k]) => k);
    assert.deepEqual(wrong, []);
  });
}

test('a .tiktoken rank file named after its encoding loads like the packaged one', async () => {
  const dir = tempDir();
  try {
    const src = join(ROOT, 'node_modules', 'gpt-tokenizer', 'data', 'cl100k_base.tiktoken');
    const file = join(dir, 'cl100k_base.tiktoken');
    writeFileSync(file, readFileSync(src));
    const fromFile = await loadTokenizer(file);
    for (const d of fixture.docs.slice(0, 100)) assert.equal(fromFile.count(d.text), d.counts.cl100k_base, d.name);
  } finally {
    cleanup(dir);
  }
});
