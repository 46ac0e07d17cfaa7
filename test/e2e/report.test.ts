// The report a run writes (OUT/report.html) and `zyda report`: the data behind it is the same whatever the task
// split, and the page, opened in headless Chromium, shows the manifest's numbers and runs no document's markup.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM, cleanup, duck, needsChromium, oneTaskPerFile, readManifestJson, sampleConfig, tempDir, zyda } from '../helpers.js';

const SCRIPT_DOC = 'Hostile page. <script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 2"> ' + 'This is ordinary prose about the weather and the sea. '.repeat(12);

let dir: string;
let out: string;
let split: string;

/** The sample config with a fourth source whose docs hold markup; `extra` lines appended. */
function config(name: string, extra = ''): string {
  const outDir = join(dir, name);
  const path = sampleConfig(dir, outDir);
  const tiny = `  - name: tiny\n    paths: ${join(dir, 'tiny.jsonl')}\n    text_field: text\n    id_field: id\n    rank: 3\n`;
  writeFileSync(path, readFileSync(path, 'utf8').replace(/^sources:\n/m, `sources:\n${tiny}`) + extra);
  return path;
}

before(() => {
  dir = tempDir('zyda-report-');
  const docs = [
    { id: 'tiny-script', text: SCRIPT_DOC },
    { id: 'tiny-short', text: 'too short <b>bold</b>' },
    { id: 'tiny-plain', text: 'A plain paragraph about gardens, rivers and the long evenings of summer. '.repeat(10) },
  ];
  writeFileSync(join(dir, 'tiny.jsonl'), docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
  out = join(dir, 'out');
  split = join(dir, 'split');
  const a = zyda(['run', config('out')]);
  assert.equal(a.code, 0, a.stderr);
  // The same input cut into other tasks and run on one worker.
  const b = zyda(['run', oneTaskPerFile(config('split')), '--workers', '1']);
  assert.equal(b.code, 0, b.stderr);
});

after(() => cleanup(dir));

test('the run writes report.html and its data; the data is the same bytes for another task split and worker count', () => {
  const m = readManifestJson(out);
  assert.ok(existsSync(join(out, 'report.html')));
  const rel = m.published?.report_data;
  assert.ok(rel, 'the manifest names the report data');
  const data = readFileSync(join(out, rel));
  assert.ok(data.length < 1 << 20, `report data is bounded (${data.length} bytes)`);
  assert.ok(readManifestJson(split).accounting.read === m.accounting.read);
  assert.ok(data.equals(readFileSync(join(split, readManifestJson(split).published!.report_data))), 'report-data.json differs between task splits');
  const parsed = JSON.parse(data.toString('utf8')) as { sources: Record<string, { kept: { docs: number }; dropped: { docs: number } }> };
  for (const [name, a] of Object.entries(m.accounting.by_source)) {
    assert.equal(parsed.sources[name].kept.docs, a.written, `${name}: kept docs`);
    assert.equal(parsed.sources[name].dropped.docs, a.read - a.written, `${name}: dropped docs`);
  }
});

test('zyda report OUT --out FILE writes the page; a directory without a manifest is a usage error', () => {
  const file = join(dir, 'again.html');
  const r = zyda(['report', out, '--out', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(readFileSync(file, 'utf8'), /<section id="funnel"/);
  assert.equal(zyda(['report', join(dir, 'nothing-here')]).code, 2);
});

test('the page the run wrote from what it had at hand is the page `zyda report` reads back from the output, but for the run\'s own facts', () => {
  const file = join(dir, 'read-back.html');
  assert.equal(zyda(['report', out, '--out', file]).code, 0);
  const beforeFacts = (html: string) => html.slice(0, html.indexOf('<section id="facts"'));
  // Where `zyda explain` finds a dropped doc is the run's to say: a page read back names no keep_rejected output.
  const ran = readFileSync(join(out, 'report.html'), 'utf8').replaceAll(`${out}-rejected`, '&lt;keep_rejected output or input files&gt;');
  assert.match(ran, /data-cluster="/, 'the run\'s page shows sample clusters');
  assert.equal(beforeFacts(ran), beforeFacts(readFileSync(file, 'utf8')));
  assert.ok(!existsSync(join(out, '.zyda', 'publish')), 'nothing staged for the commit is left in the workdir');
});

test('the report in headless Chromium: no errors, every section, the manifest\'s numbers, no script from a document', { skip: needsChromium() }, async () => {
  const m = readManifestJson(out);
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    const page = await browser.newPage({ viewport: { width: 1150, height: 1400 } });
    page.setDefaultTimeout(5000);
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('pageerror', (err) => errors.push(String(err)));
    const requests: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith('file:')) requests.push(req.url());
    });
    await page.goto(`file://${join(out, 'report.html')}`);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [], 'the page loads nothing from the network');

    for (const id of ['facts', 'funnel', 'lengths', 'features', 'languages', 'dedup', 'examples', 'history']) {
      assert.equal(await page.locator(`section#${id} h2`).count(), 1, `section ${id}`);
    }
    for (const chart of ['funnel all sources', 'chars all sources', 'words all sources', 'tokens all sources', 'languages all sources', 'cluster sizes near', 'zyda.mean_word_length']) {
      assert.equal(await page.locator(`svg[data-chart="${chart}"]`).count(), 1, `chart ${chart}`);
    }

    // The funnel: its first and last bars and its table are the manifest's accounting, per source and in total.
    const scopes = [['all sources', m.accounting] as const, ...Object.entries(m.accounting.by_source)];
    for (const [name, a] of scopes) {
      const bars = await page.locator(`svg[data-chart="funnel ${name}"] g`).evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-label'), Number(g.getAttribute('data-value'))]));
      assert.deepEqual(bars[0], ['read', a.read]);
      assert.deepEqual(bars[bars.length - 1], ['written', a.written]);
      const cells = await page.locator(`table[data-funnel-table] tr[data-reason] td[data-scope="${name}"]`).evaluateAll((tds) => tds.map((td) => [td.parentElement!.getAttribute('data-reason'), td.textContent!.trim()]));
      const removed = Object.fromEntries(cells.filter(([, n]) => n !== '').map(([r, n]) => [r, Number(n!.replaceAll(',', ''))]));
      assert.deepEqual(removed, { ...a.dropped, ...a.duplicates, ...a.errored }, `${name}: removals by reason`);
      const written = await page.locator(`table[data-funnel-table] tr[data-step="written"] td[data-scope="${name}"]`).textContent();
      assert.equal(Number(written!.replaceAll(',', '')), a.written);
    }

    // Duplicates: the who-lost-to-whom matrix is the dedup report's.
    const near = (m.reports['3-dedup'] as { near: { removed_by: Record<string, Record<string, number>> } }).near;
    const matrix = await page.locator('table[data-matrix="near"] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));
    const header = await page.locator('table[data-matrix="near"] thead th').allTextContents();
    for (const row of matrix) for (let j = 1; j < row.length; j++) assert.equal(Number(row[j]), near.removed_by[row[0]]?.[header[j]] ?? 0, `near: ${row[0]} lost to ${header[j]}`);

    // Languages of every doc langid saw: the kept ones (in the shards) and the duplicates (in the rejected output), read by DuckDB.
    const lang = "json_extract_string(metadata, '$.language')";
    const expected: Record<string, number> = {};
    for (const r of await duck<{ l: string; n: bigint }>(`select ${lang} l, count(*) n from read_parquet('${out}/data/*/*/*.parquet') group by 1`)) expected[r.l] = Number(r.n);
    for (const r of await duck<{ l: string; n: bigint }>(`select ${lang} l, count(*) n from read_parquet('${out}-rejected/data/*/*/*.parquet') where reason like 'dedup/%' group by 1`)) expected[r.l] = (expected[r.l] ?? 0) + Number(r.n);
    const shown = await page.locator('table[data-language-table="all sources"] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));
    assert.deepEqual(Object.fromEntries(shown.map(([l, n]) => [l, Number(n.replaceAll(',', ''))])), expected);

    // Thresholds the run used are drawn on their feature's histogram.
    assert.deepEqual(await page.locator('figure[data-feature="zyda.mean_word_length"] g.threshold').evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-value')))), [3, 12]);
    // A bound on a value the filter derives from its counts (https:// per character) has a histogram of its own.
    assert.deepEqual(await page.locator('figure[data-feature="zyda.https_fraction"] g.threshold').evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-value')))), [0.002]);

    // The document with markup is shown as text, and nothing of it ran.
    const snippet = await page.locator('[data-doc-id="tiny-script"] .snippet').first().textContent();
    assert.ok(snippet?.includes('<script>window.__pwned = 1</script>'), `escaped snippet shown as text: ${snippet}`);
    assert.equal(await page.evaluate('document.querySelectorAll("script, img").length'), 0);
    assert.equal(await page.evaluate('window.__pwned'), undefined);

    // Printing hides the navigation.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.evaluate('getComputedStyle(document.querySelector("nav")).display'), 'none');
    await page.emulateMedia({ media: 'screen' });

    const shot = process.env.ZYDA_REPORT_SCREENSHOT ?? join(dir, 'report.png');
    await page.screenshot({ path: shot });
    assert.ok(statSync(shot).size > 10_000, 'screenshot saved');
  } finally {
    await browser.close();
  }
});

test('an incremental output\'s report shows each night\'s history as the manifest records it', { skip: needsChromium() }, async () => {
  const inc = join(dir, 'inc');
  mkdirSync(join(inc, 'in'), { recursive: true });
  const cfg = join(inc, 'nightly.yaml');
  writeFileSync(cfg, `output: ${join(inc, 'out')}\nincremental: true\nworkers: 2\nsources:\n  - {name: feed, paths: ${join(inc, 'in')}, id_field: id}\nstages:\n  - tokens: {}\n`);
  for (const night of [1, 2]) {
    const docs = Array.from({ length: night * 3 }, (_, i) => ({ id: `n${night}-${i}`, text: `night ${night} doc ${i} `.repeat(20 + i) }));
    writeFileSync(join(inc, 'in', `night-${night}.jsonl`), docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
    const r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
  }
  const m = readManifestJson(join(inc, 'out'));
  assert.equal(m.history?.length, 2);
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(5000);
    await page.goto(`file://${join(inc, 'out', 'report.html')}`);
    const rows = await page.locator('table[data-history] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));
    assert.deepEqual(
      rows.map((r) => [r[0], r[2], r[3], r[4], r[5]].map((v) => Number(v.replaceAll(',', '')))),
      m.history!.map((h) => [h.run, h.files_added, h.docs_read, h.docs_added, h.tokens_added]),
    );
    const bars = await page.locator('svg[data-chart="history docs_added"] g').evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-value'))));
    assert.deepEqual(bars, [3, 6]);
  } finally {
    await browser.close();
  }
});

test('a run killed after its commit point leaves no report; the rerun, up to date, writes it', () => {
  const at = join(dir, 'killed');
  mkdirSync(join(at, 'in'), { recursive: true });
  writeFileSync(join(at, 'in', 'a.jsonl'), [1, 2, 3].map((i) => JSON.stringify({ text: `document number ${i} `.repeat(30) })).join('\n') + '\n');
  const cfg = join(at, 'p.yaml');
  writeFileSync(cfg, `output: ${join(at, 'out')}\nworkers: 1\nsources:\n  - {name: a, paths: ${join(at, 'in')}}\nstages:\n  - tokens: {}\n`);
  const killed = zyda(['run', cfg], { env: { ZYDA_FAIL_AT: 'commit-done' } });
  assert.notEqual(killed.code, 0);
  assert.ok(existsSync(join(at, 'out', 'manifest.json')), 'the commit happened');
  assert.ok(!existsSync(join(at, 'out', 'report.html')));
  const r = zyda(['run', cfg]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(readFileSync(join(at, 'out', 'report.html'), 'utf8'), /<meta name="zyda-generation" content="1">/);
});
