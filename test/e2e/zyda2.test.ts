import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse, stringify } from 'yaml';
import { cleanup, duck, readManifestJson, ROOT, shardGlob, tempDir, zyda } from '../helpers.js';

/**
 * configs/zyda2.yaml end to end on four small sources, with the fixture models of
 * test/fixtures/make_transformer_fixtures.py standing in for the real classifiers. What each doc should become is
 * worked out here from Zyda-2's rules and PyTorch's recorded logits, not from zyda's own output.
 */
const FIXTURES = join(ROOT, 'test', 'fixtures', 'transformers');
const docs = gunzipSync(readFileSync(join(FIXTURES, 'docs.jsonl.gz'))).toString('utf8').trim().split('\n').map((l) => (JSON.parse(l) as { text: string }).text);
const reference = JSON.parse(gunzipSync(readFileSync(join(FIXTURES, 'reference.json.gz'))).toString('utf8')) as { models: Record<string, { logits: number[][] }> };
const qualityLabels = Object.entries((JSON.parse(readFileSync(join(FIXTURES, 'quality', 'config.json'), 'utf8')) as { id2label: Record<string, string> }).id2label);
/** PyTorch's top label for fixture doc i: what the quality classifier must say. */
const qualityOf = (i: number) => {
  const logits = reference.models.quality.logits[i];
  const best = logits.indexOf(Math.max(...logits));
  return qualityLabels.find(([id]) => Number(id) === best)![1];
};
/** PyTorch's regression score for fixture doc i under the bert-reg model, as FineWeb-Edu's int_score. */
const intScoreOf = (i: number) => {
  const s = reference.models['bert-reg'].logits[i][0];
  const c = Math.max(0, Math.min(s, 5));
  const r = Math.round(c);
  return Math.abs(c - Math.trunc(c)) === 0.5 && r % 2 === 1 ? r - 1 : r;
};

interface Rec {
  id: string;
  text: string;
  int_score?: number;
  doc: number;
}

/**
 * zyda1 and dolma-cc hold fixture docs 0–39 and 40–79; fwe2 docs 80–89 with int_scores 1–5 (and doc 236, the one
 * the fixture regression model scores below 1.5), dclm docs 90–99.
 * Copies across sources: zyda1's doc 0 also in fwe2 and dclm (fwe2's stays), dolma's doc 41 also in dclm (dclm's
 * stays), zyda1's doc 2 also in dolma (zyda1's stays), fwe2's doc 81 also in dclm (fwe2's stays). dolma holds
 * its doc 43 twice: a cluster of one source stays whole.
 */
function sources(): Record<string, Rec[]> {
  const rec = (source: string, doc: number, extra: Partial<Rec> = {}, tag = ''): Rec => ({ id: `${source}-${doc}${tag}`, text: docs[doc], doc, ...extra });
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
  return {
    fwe2: [...range(80, 90).map((d) => rec('fwe2', d, { int_score: 1 + (d % 5) })), rec('fwe2', 0, { int_score: 4 }), rec('fwe2', 236, { int_score: 3 })],
    dclm: [...range(90, 100).map((d) => rec('dclm', d)), rec('dclm', 0), rec('dclm', 41), rec('dclm', 81)],
    zyda1: range(0, 40).map((d) => rec('zyda1', d)),
    'dolma-cc': [...range(40, 80).map((d) => rec('dolma-cc', d)), rec('dolma-cc', 2), rec('dolma-cc', 43, {}, '-again')],
  };
}

const REMOVED_AS_DUPLICATES = ['zyda1-0', 'dclm-0', 'dolma-cc-41', 'dolma-cc-2', 'dclm-81'];

/** configs/zyda2.yaml with this test's paths and the fixture models; `edit` may change its stages. */
function config(dir: string, edit: (stages: Record<string, Record<string, unknown>>[]) => void = () => {}): string {
  const cfg = parse(readFileSync(join(ROOT, 'configs', 'zyda2.yaml'), 'utf8')) as Record<string, unknown> & { sources: { name: string; paths: string }[]; stages: Record<string, Record<string, unknown>>[] };
  cfg.output = join(dir, 'out');
  cfg.keep_rejected = join(dir, 'rejected');
  cfg.workers = 2;
  for (const s of cfg.sources) Object.assign(s, { paths: join(dir, 'in', `${s.name}.jsonl`), id_field: 'id' });
  for (const stage of cfg.stages) {
    if (stage.classify?.name === 'quality') Object.assign(stage.classify, { model: join(FIXTURES, 'quality', 'model.onnx'), tokenizer: join(FIXTURES, 'quality', 'tokenizer.json'), max_tokens: 256 });
    if (stage.tokens) stage.tokens.tokenizer = 'gpt2';
  }
  (cfg.write as Record<string, unknown>).tokenizer = 'gpt2';
  edit(cfg.stages);
  const path = join(dir, 'zyda2.yaml');
  writeFileSync(path, stringify(cfg));
  return path;
}

function writeSources(dir: string): Record<string, Rec[]> {
  const all = sources();
  mkdirSync(join(dir, 'in'), { recursive: true });
  for (const [name, recs] of Object.entries(all)) writeFileSync(join(dir, 'in', `${name}.jsonl`), recs.map(({ doc: _doc, ...r }) => JSON.stringify(r)).join('\n') + '\n');
  return all;
}

async function rowsOf(out: string) {
  return duck<{ id: string; source: string; quality_label: string }>(`SELECT id, source, quality_label FROM read_parquet('${shardGlob(out)}') ORDER BY id`);
}

test("configs/zyda2.yaml: cross-source dedup keeps the best source's members, quality keeps High, fwe2 keeps int_score >= 3", async () => {
  const dir = tempDir();
  try {
    const all = writeSources(dir);
    const r = zyda(['run', config(dir), '--log-format', 'json']);
    assert.equal(r.code, 0, r.stderr);

    const survivors = Object.values(all).flat().filter((x) => !REMOVED_AS_DUPLICATES.includes(x.id));
    const kept = survivors.filter((x) => {
      if (x.id.startsWith('fwe2-')) return x.int_score! >= 3;
      if (x.id.startsWith('dclm-')) return true;
      return qualityOf(x.doc) === 'High';
    });
    const notHigh = survivors.filter((x) => (x.id.startsWith('zyda1-') || x.id.startsWith('dolma-cc-')) && qualityOf(x.doc) !== 'High');
    assert.ok(notHigh.length > 0 && kept.some((x) => x.id.startsWith('zyda1-')), 'the fixture model keeps some docs and drops others');

    const rows = await rowsOf(join(dir, 'out'));
    assert.deepEqual(rows.map((x) => x.id), kept.map((x) => x.id).sort());
    for (const row of rows) assert.equal(row.quality_label, row.source === 'zyda1' || row.source === 'dolma-cc' ? 'High' : '', row.id);
    // A cluster from one source stays whole.
    assert.ok(rows.some((x) => x.id === 'dolma-cc-43') === rows.some((x) => x.id === 'dolma-cc-43-again'));

    const m = readManifestJson(join(dir, 'out'));
    assert.equal(m.accounting.read, Object.values(all).flat().length);
    assert.deepEqual(m.accounting.duplicates, { 'dedup/near': REMOVED_AS_DUPLICATES.length });
    const fweDropped = survivors.filter((x) => x.id.startsWith('fwe2-') && x.int_score! < 3).length;
    assert.deepEqual(m.accounting.dropped, { 'classify/quality/label': notHigh.length, 'filter/metadata/below_min': fweDropped });

    const rejected = await duck<{ id: string; reason: string; quality_label: string }>(`SELECT id, reason, quality_label FROM read_parquet('${shardGlob(join(dir, 'rejected'))}') WHERE reason LIKE 'classify/%' ORDER BY id`);
    assert.deepEqual(rejected.map((x) => [x.id, x.quality_label]), notHigh.map((x) => [x.id, qualityOf(x.doc)]).sort());
  } finally {
    cleanup(dir);
  }
});

test("configs/zyda2.yaml with FineWeb-Edu's classifier in place of the int_score field: a regression head keeps int_score >= N", async () => {
  const dir = tempDir();
  try {
    const all = writeSources(dir);
    // The fixture regression model gives int_score 2 to all of these docs but one (1), so the cut is at 2.
    const cfg = config(dir, (stages) => {
      const at = stages.findIndex((s) => s.filter);
      stages[at] = { classify: { name: 'edu', model: join(FIXTURES, 'bert-reg', 'model.onnx'), tokenizer: join(FIXTURES, 'bert-reg', 'tokenizer.json'), keep: { min_score: 2, score: 'int_score' }, skip_sources: ['dclm', 'zyda1', 'dolma-cc'] } };
    });
    const r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    const fwe = all.fwe2.filter((x) => !REMOVED_AS_DUPLICATES.includes(x.id));
    const want = fwe.filter((x) => intScoreOf(x.doc) >= 2).map((x) => x.id);
    assert.ok(want.length > 0 && want.length < fwe.length, 'some fwe2 docs are kept and some dropped');
    const rows = await duck<{ id: string; edu_int_score: number }>(`SELECT id, edu_int_score FROM read_parquet('${shardGlob(join(dir, 'out'))}') WHERE source = 'fwe2' ORDER BY id`);
    assert.deepEqual(rows.map((x) => x.id), want.sort());
    for (const row of rows) assert.equal(row.edu_int_score, intScoreOf(all.fwe2.find((x) => x.id === row.id)!.doc));
    assert.equal(readManifestJson(join(dir, 'out')).accounting.dropped['classify/edu/low_score'], fwe.length - want.length);
  } finally {
    cleanup(dir);
  }
});
