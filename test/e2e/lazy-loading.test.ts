import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanup, readManifestJson, tempDir, zyda } from '../helpers.js';

// Compiled to dist/test/e2e/; the hooks are dist/test/module-log.js.
const MODULE_LOG = fileURLToPath(new URL('../module-log.js', import.meta.url));

/** The modules each thread of a real `zyda run` loaded, by thread id (0 is the main thread), as paths under dist/. */
function modulesOfRun(dir: string, config: string): Map<number, string[]> {
  const log = join(dir, 'modules.log');
  const r = zyda(['run', config], { env: { NODE_OPTIONS: `--import ${MODULE_LOG}`, ZYDA_MODULE_LOG: log } });
  assert.equal(r.code, 0, r.stderr);
  const threads = new Map<number, string[]>();
  for (const line of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
    const [thread, url] = line.split('\t');
    const m = /\/dist\/(.*)$/.exec(url) ?? /\/node_modules\/(zod)\//.exec(url);
    if (m) threads.set(Number(thread), [...(threads.get(Number(thread)) ?? []), m[1]]);
  }
  return threads;
}

/** Modules that only tasks run: stage kinds' task code and what it stands on (a model's config.json is read at plan time). */
const TASK_CODE = [/^stages\/[a-z]+\/task\.js$/, /^filters\/(zyda|c4|fineweb|gopher-quality|gopher-repetition|metadata)\.js$/, /^dedup\/(signatures|apply|buckets|clusters|normalize|minhash)\.js$/, /^dedup\/fix-text\//, /^fasttext\//, /^langid\//, /^classifiers\/(?!onnx\/model-config\.js)/, /^tokenizers\/(tokenizer|bpe\/engine)\.js$/, /^runtime\/(runner|write-source)\.js$/];

test('zyda run: the main thread loads no task code, a worker only the code of the stages and filters the run uses', () => {
  const dir = tempDir();
  try {
    const text = (i: number) => `Document ${i} talks about rivers, stones and gardens in winter; ` + 'the water runs over smooth grey stones '.repeat(4);
    writeFileSync(join(dir, 'web.jsonl'), Array.from({ length: 40 }, (_, i) => JSON.stringify({ text: text(i) })).join('\n'));
    writeFileSync(join(dir, 'p.yaml'), `output: out\nworkers: 2\nprogress: off\nsources:\n  - {name: web, paths: web.jsonl}\nstages:\n  - filter: {zyda: {}}\n  - sample: {fraction: 0.5}\n`);
    const threads = modulesOfRun(dir, join(dir, 'p.yaml'));
    assert.ok(readManifestJson(join(dir, 'out')).totals.docs > 0);

    const main = threads.get(0) ?? [];
    assert.ok(main.includes('stages/builtins.js'), 'the log has the main thread: it registers the stage definitions');
    assert.deepEqual(main.filter((m) => TASK_CODE.some((p) => p.test(m))), [], 'the main thread plans and commits: it loads no task code');

    const workers = [...threads].filter(([id]) => id !== 0).map(([, modules]) => modules);
    assert.ok(workers.length > 0, 'the log has the worker threads');
    for (const modules of workers) {
      assert.ok(modules.includes('stages/filter/task.js') && modules.includes('filters/zyda.js'), 'a worker loads the code of the stages and filters the run uses');
      const unused = modules.filter((m) => m === 'zod' || /^stages\/[a-z]+\/index\.js$/.test(m) || (TASK_CODE.some((p) => p.test(m)) && !['stages/filter/task.js', 'filters/zyda.js', 'runtime/runner.js', 'runtime/write-source.js'].includes(m)));
      // The write step counts tokens whatever the stages: its tokenizer is the one task code every run uses.
      assert.deepEqual(unused.filter((m) => !/^tokenizers\//.test(m)), [], 'a worker loads no definitions, no zod, and no other kind or filter');
    }
  } finally {
    cleanup(dir);
  }
});
