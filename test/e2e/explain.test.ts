import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, ROOT, tempDir, zyda } from '../helpers.js';

const SHORT = 'The quick brown fox jumps over the lazy dog. It was a sunny day and the children played in the park until the evening came.';
const LONG = [
  'Our village sits beside a slow river that floods every spring.',
  'Farmers plant barley on the eastern hills because the soil there drains well.',
  'A small bakery opens before dawn and sells bread to travellers.',
  'Children walk to school along a path lined with old oak trees.',
  'The mayor holds a meeting each month in the hall near the church.',
  'Visitors often come in autumn to watch the geese fly south.',
  'Most houses have thick stone walls that keep them cool in summer.',
  'An old mill still grinds flour for a few families who prefer it.',
  'Fishermen repair their nets on the pier while gulls circle above.',
  'Local musicians play at the market square on Saturday evenings.',
  'Winter brings snow that closes the mountain road for several weeks.',
  'Everyone gathers at the harvest festival to share food and stories.',
].join(' ');

function writeDocs(dir: string): string {
  const path = join(dir, 'a.jsonl');
  writeFileSync(path, [{ id: 'short', lang: 'en', text: SHORT }, { id: 'long', lang: 'de', text: LONG }].map((d) => JSON.stringify(d)).join('\n') + '\n');
  return path;
}

test('explain shows the thresholds the run used, from the output manifest: --set on a stage command', () => {
  const dir = tempDir();
  try {
    const input = writeDocs(dir);
    const r = zyda(['filter', '-i', input, '--id-field', 'id', '--set', 'zyda.min_length=200', '-o', join(dir, 'out'), '--keep-rejected', join(dir, 'rej')]);
    assert.equal(r.code, 0, r.stderr);
    const ex = zyda(['explain', join(dir, 'rej'), '--id', 'short']);
    assert.equal(ex.code, 0, ex.stderr);
    assert.match(ex.stdout, /dropped by: filter\/zyda\/too_short/);
    assert.match(ex.stdout, new RegExp(`too_short\\s+${SHORT.length}\\s+≥ 200\\s+DROP`));
    assert.match(ex.stdout, /thresholds: as the run used them \(.*rej\/manifest\.json\)/);
  } finally {
    cleanup(dir);
  }
});

test('explain has every rule of every built-in filter and langid, with the config thresholds', () => {
  const dir = tempDir();
  try {
    writeDocs(dir);
    const cfg = join(dir, 'c.yaml');
    writeFileSync(
      cfg,
      `output: out
keep_rejected: rej
sources: [{name: web, paths: a.jsonl, id_field: id}]
stages:
  - filter: {gopher_quality: {min_doc_words: 10}, gopher_repetition: {max_dup_line_frac: 0.25}, c4: {min_sentences: 3}, fineweb: {max_short_line_ratio: 0.5}}
  - langid: {keep: [de], min_score: 0.4}
`,
    );
    assert.equal(zyda(['run', cfg]).code, 0);
    const ex = zyda(['explain', join(dir, 'rej'), '--id', 'long']);
    assert.equal(ex.code, 0, ex.stderr);
    const out = ex.stdout;
    assert.match(out, /gopher_quality: keep\n/);
    assert.match(out, /too_few_words\s+\d+\s+≥ 10\s+pass/);
    assert.match(out, /few_stop_words\s+\d+\s+≥ 2\s+pass/);
    assert.match(out, /gopher_repetition: keep\n/);
    assert.match(out, /dup_line_frac\s+0\s+≤ 0\.25\s+pass/);
    assert.match(out, /dup_10_gram\s+[\d.]+\s+≤ 0\.1\s+pass/);
    assert.match(out, /c4: keep\n/);
    assert.match(out, /too_few_sentences\s+12\s+≥ 3\s+pass/);
    assert.match(out, /curly_bracket\s+0\s+= 0\s+pass/);
    assert.match(out, /fineweb: keep\n/);
    assert.match(out, /short_line_ratio\s+0\s+≤ 0\.5\s+pass/);
    // The long doc is English, which a run keeping only German dropped: langid's verdict says why.
    assert.match(out, /langid: drop \(language_not_kept\)/);
    assert.match(out, /language_not_kept\s+en\s+in \[de\]\s+DROP/);
    assert.match(out, /low_score\s+0\.\d+\s+≥ 0\.4\s+pass/);

    // A filter the run did not use is explained with its defaults, and says so.
    const other = zyda(['explain', join(dir, 'rej'), '--id', 'long', '--filters', 'zyda,gopher_quality']);
    assert.equal(other.code, 0, other.stderr);
    assert.match(other.stdout, /zyda: keep  \(the run did not use it: its defaults\)/);
    assert.match(other.stdout, /too_short\s+\d+\s+≥ 100\s+pass/);
    assert.match(other.stdout, /too_few_words\s+\d+\s+≥ 10\s+pass/);
  } finally {
    cleanup(dir);
  }
});

test('explain a plugin filter: options from the manifest, plugin from the plan or --plugin', () => {
  const dir = tempDir();
  try {
    writeDocs(dir);
    const plugin = join(ROOT, 'examples', 'metadata-filter.js');
    const cfg = join(dir, 'c.yaml');
    writeFileSync(cfg, `output: out\nkeep_rejected: rej\nplugins: [${plugin}]\nsources: [{name: web, paths: a.jsonl, id_field: id}]\nstages:\n  - filter: {metadata_filter: {field: lang, allowed: [en]}}\n`);
    assert.equal(zyda(['run', cfg]).code, 0);
    let ex = zyda(['explain', join(dir, 'out'), '--id', 'short']);
    assert.equal(ex.code, 0, ex.stderr);
    assert.match(ex.stdout, /metadata_filter: keep\noptions: \{"field":"lang","allowed":\["en"\]\}/);
    // The rejected output has no workdir of its own: the plugin comes from the command line.
    ex = zyda(['explain', join(dir, 'rej'), '--id', 'long']);
    assert.equal(ex.code, 2);
    assert.match(ex.stderr, /no filter metadata_filter .*--plugin/);
    ex = zyda(['explain', join(dir, 'rej'), '--id', 'long', '--plugin', plugin]);
    assert.equal(ex.code, 0, ex.stderr);
    assert.match(ex.stdout, /metadata_filter: drop \(not_allowed\)[^]*"value": "de"/);
  } finally {
    cleanup(dir);
  }
});
