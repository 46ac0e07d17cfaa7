import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, tempDir, zyda } from '../helpers.js';

test('validate reports every problem in one pass, file:line:key each, with guesses for stage options and filters', () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'a.jsonl'), '{"text": "hi"}\n');
    const cfg = join(dir, 'bad.yaml');
    writeFileSync(
      cfg,
      `output: out
on_eror: skip
sources:
  - name: web
    paths: a.jsonl
    text_feld: text
stages:
  - filter: {gopher_qualty: {}}
  - langid: {keep: english, min_scor: 0.5}
  - dedup: {threshold: 2}
  - frobnicat: {}
write:
  compression: lz5
`,
    );
    const r = zyda(['validate', cfg]);
    assert.equal(r.code, 2);
    const lines = r.stderr.replace(/^zyda: /, '').trim().split('\n');
    assert.deepEqual(lines, [
      `${cfg}:2: on_eror: unknown key (did you mean "on_error"?)`,
      `${cfg}:6: sources[0].text_feld: unknown key (did you mean "text_field"?)`,
      `${cfg}:8: stages[0].filter.gopher_qualty: unknown key (did you mean "gopher_quality"?)`,
      `${cfg}:8: stages[0].filter: name at least one filter: zyda, gopher_repetition, gopher_quality, c4, fineweb, metadata`,
      `${cfg}:9: stages[1].langid.keep: expected a list of language codes such as [en], or "all" to tag only`,
      `${cfg}:9: stages[1].langid.min_scor: unknown key (did you mean "min_score"?)`,
      `${cfg}:10: stages[2].dedup.threshold: Too big: expected number to be <1`,
      `${cfg}:11: stages[3].frobnicat: unknown stage kind "frobnicat"; expected one of transform, filter, langid, classify, tokens, sample, limit, dedup`,
      `${cfg}:13: write.compression: Invalid option: expected one of "zstd"|"snappy"|"gzip"|"none"`,
    ]);
  } finally {
    cleanup(dir);
  }
});

test('a stage kind and a language code each get a clear message', () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'a.jsonl'), '{"text": "hi"}\n');
    const cfg = join(dir, 'c.yaml');
    writeFileSync(cfg, 'output: out\nsources: [{name: web, paths: a.jsonl}]\nstages:\n  - langid: {keep: [english]}\n  - dedupe: {}\n');
    const r = zyda(['validate', cfg]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`${cfg}:4: stages\\[0\\]\\.langid\\.keep\\[0\\]: "english" is not a lid\\.176 language code \\(two or three letters, such as en, de, zh\\)`));
    assert.match(r.stderr, new RegExp(`${cfg}:5: stages\\[1\\]\\.dedupe: unknown stage kind "dedupe" \\(did you mean "dedup"\\?\\); expected one of .*dedup`));
    const flag = zyda(['langid', '-i', join(dir, 'a.jsonl'), '--keep', 'english', '-o', join(dir, 'out')]);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /langid\.keep\[0\]: "english" is not a lid\.176 language code/);
  } finally {
    cleanup(dir);
  }
});

test('remote inputs (s3, gs, hf, https) are "not supported yet", naming the path, exit 2', () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'a.jsonl'), '{"text": "hi"}\n');
    const cfg = join(dir, 'r.yaml');
    writeFileSync(cfg, 'output: out\nsources:\n  - name: web\n    paths: [a.jsonl, "gs://bucket/b.jsonl"]\n  - {name: hub, paths: "hf://datasets/org/set"}\n');
    for (const command of ['validate', 'run']) {
      const r = zyda([command, cfg]);
      assert.equal(r.code, 2);
      assert.equal(
        r.stderr,
        `zyda: ${cfg}:4: sources[0].paths[1]: gs://bucket/b.jsonl: remote inputs (gs://) are not supported yet; copy the files to a local or mounted path first\n` +
          `${cfg}:5: sources[1].paths[0]: hf://datasets/org/set: remote inputs (hf://) are not supported yet; copy the files to a local or mounted path first\n`,
      );
    }
    for (const url of ['s3://bucket/x.jsonl', 'https://example.com/x.jsonl']) {
      const r = zyda(['tokens', '-i', url, '-o', join(dir, 'o')]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, new RegExp(`${url.replace(/[./]/g, '\\$&')}: remote inputs \\(${url.split(':')[0]}://\\) are not supported yet`));
      assert.doesNotMatch(r.stderr, /matched no files/);
    }
  } finally {
    cleanup(dir);
  }
});
