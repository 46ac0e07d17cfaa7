import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, readManifestJson, ROOT, tempDir, zyda } from '../helpers.js';
import { PROSE } from '../prose.js';

test('configs/fineweb-like.yaml validates, and its stages run on real files in order', () => {
  const r = zyda(['run', join(ROOT, 'configs', 'fineweb-like.yaml'), '--dry-run']);
  assert.match(r.stdout + r.stderr, /1\. langid[\s\S]*2\. filter \{"skip_sources":\[\],"features_column":false,"gopher_repetition"|matched no files/);
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'a.jsonl'), [PROSE, 'Home\nAbout\nShop', (PROSE + '\n\n').repeat(3)].map((text) => JSON.stringify({ text })).join('\n'));
    const out = join(dir, 'out');
    writeFileSync(join(dir, 'p.yaml'), `output: out\nsources: [{name: web, paths: a.jsonl}]\nstages:\n  - langid: {keep: [en]}\n  - filter: {gopher_repetition: {}}\n  - filter: {gopher_quality: {}}\n  - filter: {c4: {require_terminal_punct: false}}\n  - filter: {fineweb: {}}\n`);
    const r2 = zyda(['run', join(dir, 'p.yaml')]);
    assert.equal(r2.code, 0, r2.stderr);
    const m = readManifestJson(out);
    assert.equal(m.totals.docs, 1);
    assert.equal(m.accounting.dropped['filter/gopher_repetition/dup_para_frac'], 1);
    assert.equal(Object.values(m.accounting.dropped).reduce((a, b) => a + b, 0), 2);
  } finally {
    cleanup(dir);
  }
});
