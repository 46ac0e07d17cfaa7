// The classify stage end to end through the CLI, with lid.176 standing in for a quality classifier: a fastText
// model whose labels are languages. Outputs are read with DuckDB and compared with a direct call of the engine.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { lid176, lid176Path } from '../../langid/lid176.js';
import { predictLanguage } from '../../stages/langid/task.js';
import '../../stages/builtins.js';
import { configFromObject, rawConfigOf } from '../../runtime/config.js';
import { cleanup, duck, outputDigest, readManifestJson, ROOT, sha256Of, shardGlob, tempDir, zyda } from '../helpers.js';

interface Row {
  id: string;
  source: string;
  lang_label: string;
  lang_score: number;
}

/** Docs in four languages, some over several lines, and two too short to say much. */
const DOCS: Record<string, string[]> = {
  en: [
    'The river runs slowly past the old mill, and in spring the meadows on both banks are full of flowers.',
    'Our library opens at nine.\nChildren can borrow three books a week,\nand adults may keep a book for a month.',
    'The committee met on Tuesday to discuss the budget for next year and the repairs to the school roof.',
    'Heat the oven, mix the flour with the butter and sugar, then bake the cake for forty minutes.',
  ],
  fr: [
    'Le village se trouve au bord de la rivière, et chaque été les enfants se baignent près du vieux pont.',
    'La boulangerie ouvre à six heures.\nOn y vend du pain frais,\ndes croissants et des tartes aux pommes.',
    'Le conseil municipal a voté hier soir le budget de la commune pour la rentrée scolaire.',
  ],
  de: [
    'Das Dorf liegt an einem kleinen Fluss, und im Sommer baden die Kinder unter der alten Brücke.',
    'Die Bäckerei öffnet um sechs Uhr.\nDort gibt es frisches Brot\nund Kuchen mit Äpfeln und Zimt.',
    'Der Gemeinderat hat gestern Abend den Haushalt für das kommende Jahr beschlossen.',
  ],
  es: [
    'El pueblo está junto al río, y en verano los niños se bañan cerca del puente viejo.',
    'La panadería abre a las seis.\nAllí venden pan fresco\ny pasteles de manzana con canela.',
  ],
  short: ['ok', '42 %'],
};

/** Writes the docs as two sources (web: every doc; books: two docs), one file per language; returns their count. */
function writeInputs(dir: string): number {
  mkdirSync(join(dir, 'web'));
  let n = 0;
  for (const [lang, texts] of Object.entries(DOCS)) {
    writeFileSync(join(dir, 'web', `${lang}.jsonl`), texts.map((text, i) => JSON.stringify({ id: `${lang}-${i}`, text })).join('\n') + '\n');
    n += texts.length;
  }
  writeFileSync(join(dir, 'books.jsonl'), [DOCS.de[0], DOCS.en[0]].map((text, i) => JSON.stringify({ id: `book-${i}`, text })).join('\n') + '\n');
  return n + 2;
}

/** A copy of lid.176 inside the test dir, so a test may replace it. */
function modelCopy(dir: string): string {
  const path = join(dir, 'model.ftz');
  copyFileSync(lid176Path(), path);
  return path;
}

function config(dir: string, name: string, stages: string, extra = ''): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, `output: ${name}\nsources:\n  - {name: web, paths: web, id_field: id}\n  - {name: books, paths: books.jsonl, id_field: id}\nstages:\n${stages}\n${extra}`);
  return path;
}

async function rows(out: string): Promise<Row[]> {
  return duck<Row>(`SELECT id, source, lang_label, lang_score FROM read_parquet('${shardGlob(out)}') ORDER BY id`);
}

/** What the engine says of a doc, called directly, with fastText's own reading of the text (one line). */
function expected(id: string): { label: string; score: number } {
  const [lang, i] = id.startsWith('book-') ? [['de', 'en'][Number(id.slice(5))], 0] : [id.slice(0, id.lastIndexOf('-')), Number(id.slice(id.lastIndexOf('-') + 1))];
  return predictLanguage(lid176(), DOCS[lang][i]);
}

function run(args: string[]) {
  const r = zyda(args, { env: { ZYDA_LOG_FORMAT: 'json' } });
  assert.equal(r.code, 0, r.stderr);
  return r;
}

test('keep by label: label and score columns equal the engine, drops by reason, kept + dropped = read, rejected docs keep their columns', async () => {
  const dir = tempDir();
  try {
    const read = writeInputs(dir);
    const model = modelCopy(dir);
    run(['run', config(dir, 'out', `  - classify: {name: lang, model: ${model}, keep: {label: [en, fr]}}`, 'keep_rejected: rej\n')]);
    const m = readManifestJson(join(dir, 'out'));
    const kept = await rows(join(dir, 'out'));
    const rejected = await duck<Row & { reason: string }>(`SELECT id, source, lang_label, lang_score, reason FROM read_parquet('${shardGlob(join(dir, 'rej'))}') ORDER BY id`);
    for (const r of [...kept, ...rejected]) {
      const want = expected(r.id);
      assert.equal(r.lang_label, want.label, r.id);
      assert.equal(r.lang_score, want.score, r.id);
    }
    assert.ok(kept.length > 0 && kept.every((r) => r.lang_label === 'en' || r.lang_label === 'fr'));
    assert.ok(rejected.length > 0 && rejected.every((r) => r.reason === 'classify/lang/label' && r.lang_label !== 'en' && r.lang_label !== 'fr'));
    assert.deepEqual(m.accounting.dropped, { 'classify/lang/label': rejected.length });
    assert.equal(m.accounting.read, read);
    assert.equal(m.accounting.written + rejected.length, read);
    const columns = await duck<{ column_name: string; column_type: string }>(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${shardGlob(join(dir, 'out'))}'))`);
    assert.deepEqual(columns.slice(5).map((c) => [c.column_name, c.column_type]), [['lang_label', 'VARCHAR'], ['lang_score', 'DOUBLE']]);
    // The report's funnel counts the stage's drops like any stage's.
    const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    assert.match(html, /data-step="classify"/);
    assert.match(html, /data-reason="classify\/lang\/label"/);
  } finally {
    cleanup(dir);
  }
});

test('keep all annotates every doc; skip_sources pass untouched with empty columns; min_prob drops the unsure', async () => {
  const dir = tempDir();
  try {
    const read = writeInputs(dir);
    const model = modelCopy(dir);
    run(['run', config(dir, 'all', `  - classify: {name: lang, model: ${model}, skip_sources: [books]}`)]);
    const all = await rows(join(dir, 'all'));
    assert.equal(all.length, read);
    assert.deepEqual(readManifestJson(join(dir, 'all')).accounting.dropped, {});
    for (const r of all) {
      if (r.source === 'books') assert.deepEqual([r.lang_label, r.lang_score], ['', 0], r.id);
      else assert.deepEqual([r.lang_label, r.lang_score], [expected(r.id).label, expected(r.id).score], r.id);
    }
    // A threshold between the scores: docs of a kept label below it go as low_prob, the rest as label.
    const web = all.filter((r) => r.source === 'web');
    const minProb = 0.9;
    const unsure = web.filter((r) => ['en', 'fr', 'de', 'es'].includes(r.lang_label) && r.lang_score < minProb);
    assert.ok(unsure.length > 0 && unsure.length < web.length, 'the threshold splits the kept labels');
    run(['classify', '-i', join(dir, 'web'), '--id-field', 'id', '-o', join(dir, 'sure'), '--classifier', 'lang', '--model', model, '--keep-label', 'en,fr,de,es', '--min-prob', String(minProb)]);
    const sure = await rows(join(dir, 'sure'));
    const m = readManifestJson(join(dir, 'sure'));
    assert.deepEqual(sure.map((r) => r.id), web.filter((r) => ['en', 'fr', 'de', 'es'].includes(r.lang_label) && r.lang_score >= minProb).map((r) => r.id));
    assert.equal(m.accounting.dropped['classify/lang/low_prob'], unsure.length);
    assert.equal(m.accounting.written + m.accounting.dropped['classify/lang/low_prob'] + (m.accounting.dropped['classify/lang/label'] ?? 0), m.accounting.read);
  } finally {
    cleanup(dir);
  }
});

test("score_label: the score is one label's probability, and a score rule keeps by it", async () => {
  const dir = tempDir();
  try {
    writeInputs(dir);
    const model = modelCopy(dir);
    run(['run', config(dir, 'en', `  - classify: {name: lang, model: ${model}, score_label: en, keep: {min_score: 0.5}}`, 'keep_rejected: rej\n')]);
    const kept = await rows(join(dir, 'en'));
    const rejected = await rows(join(dir, 'rej'));
    const m = readManifestJson(join(dir, 'en'));
    assert.ok(kept.length > 0 && rejected.length > 0);
    for (const r of kept) assert.deepEqual([r.lang_label, r.lang_score], ['en', expected(r.id).score], r.id);
    // Docs another language tops have a probability of en below one half, whatever else they have.
    for (const r of rejected) assert.ok(r.lang_label === expected(r.id).label && (r.lang_label !== 'en' ? r.lang_score < 0.5 : r.lang_score === expected(r.id).score && r.lang_score < 0.5), r.id);
    assert.deepEqual(m.accounting.dropped, { 'classify/lang/low_score': rejected.length });
    const ex = zyda(['explain', join(dir, 'rej'), '--id', 'fr-0']);
    assert.match(ex.stdout, /score \(probability of en\)\s+[\d.e-]+\s+none\s+pass/);
    assert.match(ex.stdout, /low_score\s+[\d.e-]+\s+score ≥ 0\.5\s+DROP/);
    const unknown = zyda(['run', config(dir, 'bad', `  - classify: {name: lang, model: ${model}, score_label: High}`)]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /score_label names "High", which .*model\.ftz never gives/);
  } finally {
    cleanup(dir);
  }
});

test('two classify stages in one pipeline: each writes its columns and counts its drops under its name', async () => {
  const dir = tempDir();
  try {
    const read = writeInputs(dir);
    const model = modelCopy(dir);
    // The second reads 12 characters only, so its labels differ from the first's on some docs.
    const stages = `  - classify: {name: lang, model: ${model}, keep: {label: [en, fr, de]}}\n  - classify: {name: head, model: ${model}, max_chars: 12, keep: {label: [en, de]}}`;
    run(['run', config(dir, 'two', stages)]);
    const m = readManifestJson(join(dir, 'two'));
    const out = await duck<Row & { head_label: string; head_score: number }>(`SELECT id, lang_label, lang_score, head_label, head_score FROM read_parquet('${shardGlob(join(dir, 'two'))}') ORDER BY id`);
    const texts = new Map<string, string>(Object.entries(DOCS).flatMap(([lang, t]) => t.map((text, i) => [`${lang}-${i}`, text] as const)));
    texts.set('book-0', DOCS.de[0]).set('book-1', DOCS.en[0]);
    const first = [...texts].filter(([, t]) => ['en', 'fr', 'de'].includes(predictLanguage(lid176(), t).label));
    const second = first.filter(([, t]) => ['en', 'de'].includes(predictLanguage(lid176(), t, 12).label));
    assert.deepEqual(out.map((r) => r.id), second.map(([id]) => id).sort());
    for (const r of out) assert.deepEqual([r.head_label, r.head_score], [predictLanguage(lid176(), texts.get(r.id)!, 12).label, predictLanguage(lid176(), texts.get(r.id)!, 12).score]);
    assert.deepEqual(m.accounting.dropped, { 'classify/lang/label': read - first.length, 'classify/head/label': first.length - second.length });
    assert.ok(first.length - second.length > 0, 'the second stage drops some docs');
  } finally {
    cleanup(dir);
  }
});

test('explain shows the label, the score and the rule the run used', () => {
  const dir = tempDir();
  try {
    writeInputs(dir);
    const model = modelCopy(dir);
    run(['run', config(dir, 'out', `  - classify: {name: lang, model: ${model}, keep: {label: [fr], min_prob: 0.5}}`, 'keep_rejected: rej\n')]);
    const de = expected('de-0');
    const ex = zyda(['explain', join(dir, 'rej'), '--id', 'de-0']);
    assert.equal(ex.code, 0, ex.stderr);
    assert.match(ex.stdout, /dropped by: classify\/lang\/label/);
    assert.match(ex.stdout, /classify\/lang: drop \(label\)/);
    assert.match(ex.stdout, new RegExp(`label\\s+${de.label}\\s+in \\[fr\\]\\s+DROP`));
    assert.ok(de.score > 0.99);
    assert.match(ex.stdout, /low_prob\s+0\.99\d*\s+≥ 0\.5\s+pass/);
    const fr = zyda(['explain', join(dir, 'out'), '--id', 'fr-0']);
    assert.equal(fr.code, 0, fr.stderr);
    assert.match(fr.stdout, /classify\/lang: keep\n/);
    assert.match(fr.stdout, /label\s+fr\s+in \[fr\]\s+pass/);
    // A model file changed since the run: explain says the verdict is the new file's.
    const bytes = readFileSync(model);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(model, bytes);
    assert.match(zyda(['explain', join(dir, 'out'), '--id', 'fr-0']).stdout, /note: .*model\.ftz has changed since the run/);
  } finally {
    cleanup(dir);
  }
});

test('config errors say what is wrong, at plan time, with exit code 2', () => {
  const dir = tempDir();
  try {
    writeInputs(dir);
    const model = modelCopy(dir);
    writeFileSync(join(dir, 'tok.json'), '{}');
    const cases: [string, RegExp][] = [
      [`{name: lang, model: ${join(dir, 'nope.ftz')}}`, /classify\.model: no such file: .*nope\.ftz/],
      [`{name: lang, model: ${model}, tokenizer: tok.json}`, /classify\.tokenizer: applies to transformer \(\.onnx\) models only/],
      [`{name: lang, model: ${model}, max_tokens: 512}`, /classify\.max_tokens: applies to transformer/],
      [`{name: lang, model: ${model}, keep: {labels: [en]}}`, /classify\.keep: expected "all", \{label: \[\.\.\], min_prob\?: number\} or \{min_score/],
      [`{name: lang, model: ${model}, keep: some}`, /classify\.keep: expected "all"/],
      [`{name: lang, model: ${model}, keep: {min_score: 3, score: int_score}}`, /classify\.keep: a score rule needs a regression head, or score_label naming the label whose probability is the score/],
      [`{name: Lang-1, model: ${model}}`, /classify\.name: expected a lower-case identifier/],
      [`{model: ${model}}`, /classify\.name: /],
      [`{name: lang, model: ${join(dir, 'model.pt')}}`, /expected a fastText model \(\.bin, \.ftz\) or a transformer model \(\.onnx\)/],
      [`{name: lang, model: ${join(dir, 'model.onnx')}}`, /classify\.tokenizer: a transformer \(\.onnx\) model needs its tokenizer/],
      [`{name: lang, model: ${model}, model_sha256: '${'0'.repeat(64)}'}`, /has sha256 [0-9a-f]{64}, not the 0{64} this config pins/],
    ];
    for (const [options, message] of cases) {
      const r = zyda(['run', config(dir, 'bad', `  - classify: ${options}`)]);
      assert.equal(r.code, 2, `${options}: ${r.stderr}`);
      assert.match(r.stderr, message, options);
    }
    const twice = zyda(['run', config(dir, 'bad', `  - classify: {name: lang, model: ${model}}\n  - classify: {name: lang, model: ${model}}`)]);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /stage 1 is a classify stage named "lang" too; each needs its own name/);
    const clash = zyda(['run', config(dir, 'bad', `  - langid: {columns: true}\n  - classify: {name: language, model: ${model}}`)]);
    assert.equal(clash.code, 2);
    assert.match(clash.stderr, /column "language_score" is also stage 1's \(langid\)/);
    // Which labels a fastText model gives is known once it is loaded: the first task fails, naming them.
    const unknown = zyda(['run', config(dir, 'bad', `  - classify: {name: lang, model: ${model}, keep: {label: [High]}}`)]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /keep\.label names "High", which .*model\.ftz never gives \(its labels: en, ru, de/);
    const onnx = join(dir, 'm.onnx');
    writeFileSync(onnx, 'not a model');
    // A transformer's head is known before loading from the config.json beside it, as Hugging Face writes it.
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ problem_type: 'single_label_classification', id2label: { 0: 'High', 1: 'Medium', 2: 'Low' } }));
    const heads: [string, RegExp][] = [
      [`{name: q, model: m.onnx, tokenizer: tok.json, keep: {label: [Top]}}`, /classify\.keep: keep\.label names "Top", which .*m\.onnx never gives \(its labels: High, Medium, Low\)/],
      [`{name: q, model: m.onnx, tokenizer: tok.json, keep: {min_score: 3}}`, /classify\.keep: keep: \{min_score\} needs a regression head, but .*m\.onnx gives labels \(High, Medium, Low\)/],
      [`{name: q, model: m.onnx, tokenizer: tok.json, labels: [a, b], keep: {label: [High]}}`, /classify\.labels: model .*m\.onnx: labels \["a","b"\] differ from its config\.json's id2label \["High","Medium","Low"\]/],
    ];
    for (const [options, message] of heads) {
      const r = zyda(['run', config(dir, 'bad', `  - classify: ${options}`)]);
      assert.equal(r.code, 2, `${options}: ${r.stderr}`);
      assert.match(r.stderr, message, options);
    }
    const notALabel = zyda(['run', config(dir, 'bad', `  - classify: {name: q, model: m.onnx, tokenizer: tok.json, score_label: Top}`)]);
    assert.equal(notALabel.code, 2);
    assert.match(notALabel.stderr, /classify\.score_label: score_label names "Top", which .*m\.onnx never gives/);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ problem_type: 'regression', id2label: { 0: 'LABEL_0' } }));
    const regression = zyda(['run', config(dir, 'bad', `  - classify: {name: q, model: m.onnx, tokenizer: tok.json, keep: {label: [High]}}`)]);
    assert.equal(regression.code, 2);
    assert.match(regression.stderr, /keep: \{label\} needs a classification head, but .*m\.onnx gives a score \(regression head\)/);
    const scoreOfScore = zyda(['run', config(dir, 'bad', `  - classify: {name: q, model: m.onnx, tokenizer: tok.json, score_label: High, keep: {min_score: 3}}`)]);
    assert.equal(scoreOfScore.code, 2);
    assert.match(scoreOfScore.stderr, /classify\.score_label: score_label needs a classification head/);
    const notATokenizer = zyda(['run', config(dir, 'bad', `  - classify: {name: q, model: ${onnx}, tokenizer: tok.json}`)]);
    assert.equal(notATokenizer.code, 2, notATokenizer.stderr);
    assert.match(notATokenizer.stderr, /tokenizer .*tok\.json: not a usable tokenizer\.json/);
    assert.doesNotMatch(notATokenizer.stderr, /    at /, 'a message, not a stack trace');
  } finally {
    cleanup(dir);
  }
});

test("the model's content is part of the task identity: a new model redoes the stage, the same one resumes", async () => {
  const dir = tempDir();
  try {
    writeInputs(dir);
    const model = modelCopy(dir);
    const cfg = config(dir, 'out', `  - classify: {name: lang, model: model.ftz, keep: {label: [en, fr]}}`);
    const toRun = (r: { stdout: string }) => r.stdout.split('\n').filter((l) => l.includes('"step_start"')).map((l) => JSON.parse(l) as { step: string; to_run: number }).map((s) => `${s.step}:${s.to_run}`);
    assert.deepEqual(toRun(run(['run', cfg])), ['seg0:2', 'write:2']);
    const first = await rows(join(dir, 'out'));
    // Same content, new mtime: nothing to redo.
    utimesSync(model, new Date(), new Date(Date.now() + 5000));
    assert.deepEqual(toRun(run(['run', cfg])), []);
    // One bit of the output matrix changed: another model, so the stage and what follows run again.
    const bytes = readFileSync(model);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(model, bytes);
    assert.deepEqual(toRun(run(['run', cfg])), ['seg0:2', 'write:2']);
    const m = readManifestJson(join(dir, 'out'));
    assert.equal((m.stages[0].options as { model_sha256: string }).model_sha256, sha256Of(model));
    assert.equal((await rows(join(dir, 'out'))).length, first.length);
  } finally {
    cleanup(dir);
  }
});

test("a transformer's tokenizer is hashed into the resolved options too, and the options resolve to themselves", async () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'm.onnx'), 'weights');
    writeFileSync(join(dir, 'tokenizer.json'), '{"model": {}}');
    const raw = { output: join(dir, 'out'), sources: [{ name: 'web', paths: [join(dir, 'a.jsonl')] }], stages: [{ classify: { name: 'q', model: join(dir, 'm.onnx'), tokenizer: join(dir, 'tokenizer.json') } }] };
    const cfg = await configFromObject(raw);
    const o = cfg.stages[0].options;
    assert.equal(o.model_sha256, sha256Of(join(dir, 'm.onnx')));
    assert.equal(o.tokenizer_sha256, sha256Of(join(dir, 'tokenizer.json')));
    assert.deepEqual(o.preprocess, { newlines: 'keep', lowercase: false });
    assert.deepEqual((await configFromObject(rawConfigOf(cfg))).stages, cfg.stages);
  } finally {
    cleanup(dir);
  }
});

test('the same bytes with one worker and with two', () => {
  const dir = tempDir();
  try {
    writeInputs(dir);
    const model = modelCopy(dir);
    const stages = `  - classify: {name: lang, model: ${model}, keep: {label: [en, fr, de]}}\n  - classify: {name: head, model: ${model}, max_chars: 30}`;
    // Tasks of about one file each, so two workers share them.
    run(['run', config(dir, 'one', stages, 'task_bytes: 200\n'), '--workers', '1']);
    run(['run', config(dir, 'two', stages, 'task_bytes: 200\n'), '--workers', '2']);
    const plan = JSON.parse(readFileSync(join(dir, 'two', '.zyda', 'plan.json'), 'utf8')) as { tasks: unknown[] };
    assert.ok(plan.tasks.length >= 4, `${plan.tasks.length} tasks`);
    assert.deepEqual(outputDigest(join(dir, 'two')), outputDigest(join(dir, 'one')));
  } finally {
    cleanup(dir);
  }
});

test('a model with more threads than the cores take: the run and --dry-run warn, and the run still succeeds', () => {
  const dir = tempDir();
  try {
    writeInputs(dir);
    const model = join(ROOT, 'test', 'fixtures', 'transformers', 'bert-cls');
    const cores = availableParallelism();
    const stages = (threads: number) => `  - classify: {name: q, model: ${join(model, 'model.onnx')}, tokenizer: ${join(model, 'tokenizer.json')}, threads: ${threads}}`;
    const warning = new RegExp(`stage 1 \\(classify\\) runs ${cores + 1} threads per worker: 1 workers × ${cores + 1} = ${cores + 1} threads on ${cores} cores`);
    const over = zyda(['run', config(dir, 'over', stages(cores + 1)), '--workers', '1']);
    assert.equal(over.code, 0, over.stderr);
    assert.match(over.stderr, warning);
    const dry = zyda(['run', config(dir, 'over', stages(cores + 1)), '--workers', '1', '--dry-run']);
    assert.match(dry.stdout, warning);
    const fits = zyda(['run', config(dir, 'fits', stages(1)), '--workers', '1']);
    assert.equal(fits.code, 0, fits.stderr);
    assert.doesNotMatch(fits.stderr, /threads per worker/);
  } finally {
    cleanup(dir);
  }
});
