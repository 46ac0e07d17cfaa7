import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cleanup, duck, readManifestJson, ROOT, shardGlob, tempDir, zyda } from '../helpers.js';

const EXAMPLE = join(ROOT, 'examples', 'metadata-filter.js');
const WORD_COUNT = join(ROOT, 'examples', 'word-count-stage.js');
const LIBRARY = pathToFileURL(join(ROOT, 'dist', 'index.js')).href;

/** Two input files (two tasks, so two worker threads both load the plugin), docs tagged with a `lang` field. */
function writeInputs(dir: string): void {
  const docs = (file: string, langs: (string | undefined)[]) =>
    writeFileSync(join(dir, file), langs.map((lang, i) => JSON.stringify({ text: `document ${i} of ${file}, in ${lang ?? 'no language'}`, ...(lang ? { lang } : {}) })).join('\n') + '\n');
  docs('a.jsonl', ['en', 'fr', 'en', undefined]);
  docs('b.jsonl', ['de', 'en', 'fr', 'fr']);
}

function writeConfig(dir: string, plugin: string, extra = ''): string {
  const path = join(dir, 'p.yaml');
  writeFileSync(
    path,
    `output: out
workers: 2
${extra}plugins:
  - ${plugin}
sources: [{name: web, paths: ['*.jsonl']}]
stages:
  - filter: {metadata_filter: {field: lang, allowed: [en]}}
`,
  );
  return path;
}

/** A temp folder with the inputs written, removed afterwards. */
async function inInputs(body: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = tempDir();
  try {
    writeInputs(dir);
    await body(dir);
  } finally {
    cleanup(dir);
  }
}

const keptIds = async (out: string) => (await duck<{ id: string }>(`SELECT id FROM read_parquet('${shardGlob(out)}') ORDER BY id`)).map((r) => r.id);

test('plugins: the example metadata filter runs on worker threads, counts drops by reason, keeps features', () =>
  inInputs(async (dir) => {
    const config = writeConfig(dir, EXAMPLE, 'keep_rejected: rejected\n');
    const r = zyda(['run', config]);
    assert.equal(r.code, 0, r.stderr);
    const out = join(dir, 'out');
    assert.deepEqual(await keptIds(out), ['web/a.jsonl#1', 'web/a.jsonl#3', 'web/b.jsonl#2']);
    const m = readManifestJson(out);
    assert.deepEqual(m.accounting.dropped, { 'filter/metadata_filter/not_allowed': 4, 'filter/metadata_filter/missing_field': 1 });
    const rejected = await duck<{ id: string; reason: string; filtering_features: string }>(`SELECT id, reason, filtering_features FROM read_parquet('${shardGlob(join(dir, 'rejected'))}') ORDER BY id`);
    assert.deepEqual(
      rejected.map((x) => [x.id, x.reason, JSON.parse(x.filtering_features)]),
      [
        ['web/a.jsonl#2', 'filter/metadata_filter/not_allowed', { metadata_filter: { field: 'lang', value: 'fr' } }],
        ['web/a.jsonl#4', 'filter/metadata_filter/missing_field', { metadata_filter: { field: 'lang' } }],
        ['web/b.jsonl#1', 'filter/metadata_filter/not_allowed', { metadata_filter: { field: 'lang', value: 'de' } }],
        ['web/b.jsonl#3', 'filter/metadata_filter/not_allowed', { metadata_filter: { field: 'lang', value: 'fr' } }],
        ['web/b.jsonl#4', 'filter/metadata_filter/not_allowed', { metadata_filter: { field: 'lang', value: 'fr' } }],
      ],
    );
    const explain = zyda(['explain', join(dir, 'rejected'), '--id', 'web/b.jsonl#1', '--config', config]);
    assert.equal(explain.code, 0, explain.stderr);
    assert.match(explain.stdout, /metadata_filter: drop \(not_allowed\)[^]*"value": "de"/);
  }));

test('plugins: the example stage adds an int32 word_count column, beside a plugin filter', () =>
  inInputs(async (dir) => {
    writeFileSync(
      join(dir, 'p.yaml'),
      `output: out
keep_rejected: rejected
workers: 2
plugins: [${WORD_COUNT}, ${EXAMPLE}]
sources: [{name: web, paths: ['*.jsonl']}]
stages:
  - word_count: {}
  - filter: {metadata_filter: {field: lang, allowed: [en]}}
`,
    );
    const r = zyda(['run', join(dir, 'p.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    const rows = await duck<{ id: string; text: string; word_count: number; type: string }>(
      `SELECT id, text, word_count, typeof(word_count) AS type FROM read_parquet('${shardGlob(join(dir, 'out'))}') ORDER BY id`,
    );
    assert.deepEqual(
      rows.map((x) => [x.id, x.word_count, x.type]),
      [
        ['web/a.jsonl#1', 6, 'INTEGER'],
        ['web/a.jsonl#3', 6, 'INTEGER'],
        ['web/b.jsonl#2', 6, 'INTEGER'],
      ],
    );
    const rejected = await duck<{ id: string; word_count: number }>(`SELECT id, word_count FROM read_parquet('${shardGlob(join(dir, 'rejected'))}') WHERE id = 'web/a.jsonl#4'`);
    assert.deepEqual(rejected, [{ id: 'web/a.jsonl#4', word_count: 7 }], 'counted before the filter dropped it');
  }));

test('plugins: a plugin named with --plugin gets a stage command of its own, with flags from its options', () =>
  inInputs(async (dir) => {
    const help = zyda(['word_count', '--help', '--plugin', WORD_COUNT]);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /--plugin/);
    const r = zyda(['word_count', '--plugin', WORD_COUNT, '-i', join(dir, 'a.jsonl'), '-o', join(dir, 'out'), '--workers', '2']);
    assert.equal(r.code, 0, r.stderr);
    const rows = await duck<{ word_count: number }>(`SELECT word_count FROM read_parquet('${shardGlob(join(dir, 'out'))}') ORDER BY id`);
    assert.deepEqual(rows.map((x) => x.word_count), [6, 6, 6, 7]);
    assert.equal(zyda(['word_count', '-i', join(dir, 'a.jsonl'), '-o', join(dir, 'out2')]).code, 2, 'without the plugin there is no such command');
  }));

/** A copy of the example's logic outside the repo, importing zyda by its file; `keep` decides what "allowed" means. */
function writePlugin(path: string, keep: 'allowed' | 'not allowed'): void {
  writeFileSync(
    path,
    `import { defineFilter, z } from '${LIBRARY}';
export default defineFilter({
  name: 'metadata_filter',
  options: z.strictObject({ field: z.string(), allowed: z.array(z.string()) }),
  create: ({ field, allowed }) => (doc) => (${keep === 'allowed' ? '' : '!'}allowed.includes(doc.meta[field]) ? { keep: true } : { keep: false, reason: 'not_allowed' }),
});
`,
  );
}

/** A config naming ./filters.js, written to keep the allowed values. */
function editablePlugin(dir: string): { plugin: string; config: string } {
  const plugin = join(dir, 'filters.js');
  writePlugin(plugin, 'allowed');
  return { plugin, config: writeConfig(dir, './filters.js') };
}

test('plugins: editing a plugin file redoes the tasks; an unchanged one leaves the output up to date', () =>
  inInputs(async (dir) => {
    const { plugin, config } = editablePlugin(dir);
    const out = join(dir, 'out');
    assert.equal(zyda(['run', config]).code, 0);
    assert.deepEqual(await keptIds(out), ['web/a.jsonl#1', 'web/a.jsonl#3', 'web/b.jsonl#2']);

    const again = zyda(['run', config]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /is up to date/);

    writePlugin(plugin, 'not allowed');
    const edited = zyda(['run', config]);
    assert.equal(edited.code, 0, edited.stderr);
    assert.doesNotMatch(edited.stderr, /up to date|already done/);
    assert.deepEqual(await keptIds(out), ['web/a.jsonl#2', 'web/a.jsonl#4', 'web/b.jsonl#1', 'web/b.jsonl#3', 'web/b.jsonl#4']);
    const plan = JSON.parse(readFileSync(join(out, '.zyda', 'plan.json'), 'utf8')) as { plugins: { spec: string; path: string }[] };
    assert.deepEqual(plan.plugins.map((p) => [p.spec, p.path]), [['./filters.js', plugin]]);
  }));

test('plugins: the step commands load them, and a job refuses a plugin edited since its plan was made', () =>
  inInputs(async (dir) => {
    const { plugin, config } = editablePlugin(dir);
    const steps = zyda(['steps', config]);
    assert.equal(steps.code, 0, steps.stderr);
    for (const task of ['0', '1']) {
      const r = zyda(['step', 'seg0', config, '--use-plan', '--task', task, '--tasks', '2']);
      assert.equal(r.code, 0, r.stderr);
    }
    assert.equal(zyda(['step', 'write', config, '--use-plan']).code, 0);
    const commit = zyda(['commit', config, '--use-plan']);
    assert.equal(commit.code, 0, commit.stderr);
    assert.deepEqual(await keptIds(join(dir, 'out')), ['web/a.jsonl#1', 'web/a.jsonl#3', 'web/b.jsonl#2']);

    writePlugin(plugin, 'not allowed');
    const stale = zyda(['step', 'seg0', config, '--use-plan', '--force']);
    assert.equal(stale.code, 1, stale.stderr);
    assert.match(stale.stderr, /plugin \.\/filters\.js .* changed since the plan was made/);
  }));

test('plugins: --plugin on the command line replaces the config key', () =>
  inInputs(async (dir) => {
    const config = writeConfig(dir, './missing.js');
    const r = zyda(['run', config, '--plugin', EXAMPLE]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await keptIds(join(dir, 'out')), ['web/a.jsonl#1', 'web/a.jsonl#3', 'web/b.jsonl#2']);
  }));

test('plugins: a bare name resolves as an npm package from the config folder', () =>
  inInputs(async (dir) => {
    const pkg = join(dir, 'node_modules', 'zyda-lang-filter');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'zyda-lang-filter', type: 'module', main: 'filter.js' }));
    writePlugin(join(pkg, 'filter.js'), 'allowed');
    const r = zyda(['run', writeConfig(dir, 'zyda-lang-filter')]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await keptIds(join(dir, 'out')), ['web/a.jsonl#1', 'web/a.jsonl#3', 'web/b.jsonl#2']);
  }));

test('plugins: a missing, failing, incomplete or clashing plugin is a config error naming it and its line', () =>
  inInputs(async (dir) => {
    writeFileSync(join(dir, 'throws.js'), "throw new Error('broken on purpose');\n");
    writeFileSync(join(dir, 'half.js'), "export default { name: 'half' };\n");
    writeFileSync(join(dir, 'clash.js'), `import { defineFilter, z } from '${LIBRARY}';\nexport default defineFilter({ name: 'zyda', options: z.object({}), create: () => () => ({ keep: true }) });\n`);
    const cases: [string, RegExp][] = [
      ['./nowhere.js', /p\.yaml:4: plugin \.\/nowhere\.js: cannot read .*nowhere\.js \(ENOENT\)/],
      ['no-such-zyda-plugin-package', /p\.yaml:4: plugin no-such-zyda-plugin-package: no such package/],
      ['./throws.js', /p\.yaml:4: plugin \.\/throws\.js: failed to load: broken on purpose/],
      ['./half.js', /p\.yaml:4: plugin \.\/half\.js: its definition lacks options \(a zod schema\), create/],
      ['./clash.js', /p\.yaml:4: plugin \.\/clash\.js: filter "zyda" is already registered by zyda/],
    ];
    for (const [plugin, message] of cases) {
      const r = zyda(['run', writeConfig(dir, plugin)]);
      assert.equal(r.code, 2, `${plugin}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  }));

test('library: run() a config object with a plugin, then readOutput() its documents in manifest order', () =>
  inInputs(async (dir) => {
    const zydaLib = (await import(LIBRARY)) as typeof import('../../index.js');
    const manifest = await zydaLib.run({
      output: join(dir, 'out'),
      workers: 2,
      plugins: [EXAMPLE, WORD_COUNT],
      sources: [{ name: 'web', paths: [join(dir, '*.jsonl')] }],
      stages: [{ filter: { metadata_filter: { field: 'lang', allowed: ['en', 'de'] } } }, { word_count: {} }],
    });
    assert.equal(manifest.totals.docs, 4);
    const docs = [];
    for await (const doc of zydaLib.readOutput(join(dir, 'out'))) docs.push(doc);
    assert.deepEqual(
      docs.map((d) => [d.id, d.meta.lang, d.tokenCount! > 0, d.columns]),
      [
        ['web/a.jsonl#1', 'en', true, { word_count: 6 }],
        ['web/a.jsonl#3', 'en', true, { word_count: 6 }],
        ['web/b.jsonl#1', 'de', true, { word_count: 6 }],
        ['web/b.jsonl#2', 'en', true, { word_count: 6 }],
      ],
    );
    assert.equal(docs[0].text, 'document 0 of a.jsonl, in en');

    // In this thread, a typed filter registers and decides; run() tasks would need it in a plugin.
    const short = zydaLib.defineFilter({
      name: 'library_test_short',
      options: zydaLib.z.object({ max: zydaLib.z.number() }),
      create: (o) => (doc) => (doc.text.length <= o.max ? { keep: true } : { keep: false, reason: 'long' }),
    });
    zydaLib.registerFilter(short, 'library test');
    assert.deepEqual(short.create({ max: 5 })(docs[0]), { keep: false, reason: 'long' });
  }));

test('plugins: a plugin filter is made anew for each task, so what it keeps between docs stays within one task', () =>
  inInputs(async (dir) => {
    const log = join(dir, 'made.log');
    writeFileSync(
      join(dir, 'counting.js'),
      `import { appendFileSync } from 'node:fs';
import { defineFilter, z } from '${LIBRARY}';
export default defineFilter({ name: 'counting', options: z.object({}), create: () => {
  appendFileSync(process.env.MADE_LOG, 'made\\n');
  let seen = 0;
  return () => (++seen > 3 ? { keep: false, reason: 'after_three' } : { keep: true });
} });
`,
    );
    const path = join(dir, 'p.yaml');
    // One thread, and each file a task of its own: not cut (no larger than a task), not grouped (two are larger).
    const taskBytes = Math.max(...['a.jsonl', 'b.jsonl'].map((f) => statSync(join(dir, f)).size));
    writeFileSync(path, `output: out\nworkers: 1\ntask_bytes: ${taskBytes}\nplugins: [./counting.js]\nsources: [{name: web, paths: ['*.jsonl']}]\nstages:\n  - filter: {counting: {}}\n  - filter: {zyda: {}}\n`);
    const r = zyda(['run', path], { env: { MADE_LOG: log } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(readFileSync(join(dir, 'out', '.zyda', 'plan.json'), 'utf8')).tasks.length, 2);
    assert.equal(readFileSync(log, 'utf8'), 'made\nmade\n');
    // Four docs a file: the fourth of each, whichever task ran before it on the thread.
    assert.deepEqual(readManifestJson(join(dir, 'out')).accounting.dropped['filter/counting/after_three'], 2);
  }));
