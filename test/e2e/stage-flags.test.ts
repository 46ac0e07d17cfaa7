import '../../stages/builtins.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import { intValue, listValue, numValue, sizeValue } from '../../core/flags.js';
import { stageKind, stageKindNames } from '../../core/registry.js';
import type { StageKind } from '../../core/stage.js';
import { addFlags, applyFlags, longFlag, OUTPUT_FLAGS, RUN_FLAGS, SOURCE_FLAGS } from '../../cli/flags.js';
import { stageCommandFlags } from '../../cli/stage-commands.js';
import { optionSchemas, stageFlags, stageOptionsFrom } from '../../cli/stage-flags.js';
import { cleanup, duck, readManifestJson, shardGlob, tempDir, zyda } from '../helpers.js';

const SHARED_LONG = new Set([...SOURCE_FLAGS, ...OUTPUT_FLAGS, ...RUN_FLAGS].map(longFlag));

/** The stage options a command line gives, through the same flags `zyda <kind>` has. */
function optionsFor(kind: string, argv: string[]): Record<string, unknown> {
  const def = stageKind(kind);
  const { flags } = stageCommandFlags(def);
  const cmd = addFlags(new Command(kind).exitOverride().configureOutput({ writeErr: () => {} }), flags);
  cmd.parse(argv, { from: 'user' });
  return stageOptionsFrom(def, flags, cmd);
}

test('every option of every built-in stage kind has exactly one flag, and every flag one option', () => {
  assert.deepEqual(stageKindNames().sort(), ['classify', 'dedup', 'filter', 'langid', 'limit', 'sample', 'tokens', 'transform']);
  for (const kind of stageKindNames()) {
    const def = stageKind(kind);
    const keys = Object.keys(optionSchemas(def));
    assert.ok(keys.length > 0, kind);
    const { flags, unflaggable } = stageCommandFlags(def);
    assert.deepEqual(unflaggable, [], kind);
    const unflagged = def.cli?.unflagged?.() ?? [];
    for (const key of keys) {
      const n = flags.filter((f) => f.key === key).length + (unflagged.includes(key) ? 1 : 0);
      assert.equal(n, 1, `${kind}.${key}: ${n} flags`);
    }
    const byHand = flags.filter((f) => !keys.includes(f.key));
    // A flag that is no option's stands for the unflagged ones, and the kind's shape turns it into them.
    if (byHand.length > 0) assert.ok(def.cli?.shape && unflagged.length > 0, kind);
    // An option left unflagged is set by a hand-made flag, or by the flag of the same name every stage command has.
    for (const key of unflagged) assert.ok(byHand.length > 0 || SHARED_LONG.has(`--${key.replace(/_/g, '-')}`), `${kind}.${key}`);
    const longs = flags.map(longFlag);
    assert.equal(new Set(longs).size, longs.length, kind);
    for (const long of longs) assert.ok(!SHARED_LONG.has(long), `${kind} ${long}`);
    for (const f of flags) assert.ok(f.help.length > 0, `${kind} ${f.flags} has no help`);
  }
});

test('flag values parse one way everywhere', () => {
  assert.equal(intValue('12'), 12);
  assert.equal(intValue('-3'), -3);
  for (const bad of ['12abc', '1.5', '', 'abc', '0x10']) assert.throws(() => intValue(bad), /expected an integer/);
  assert.equal(numValue('0.65'), 0.65);
  for (const bad of ['abc', '', 'NaN', '0.5x']) assert.throws(() => numValue(bad), /expected a number/);
  assert.deepEqual(listValue(' en, fr,,de '), ['en', 'fr', 'de']);
  assert.equal(sizeValue('4096'), 4096);
  assert.equal(sizeValue('64MB'), '64MB');
  assert.throws(() => sizeValue('lots'), /expected a size/);
});

test('stage flags become the options the config takes', () => {
  assert.deepEqual(optionsFor('dedup', []), {});
  const dedup = optionsFor('dedup', ['--no-minhash', '--exact', '--save-index', '--index', 'a,b', 'c', '--threshold', '0.5', '--ngram', '13', '--scope', 'across']);
  assert.deepEqual(dedup, { minhash: false, exact: true, save_index: true, index: ['a,b', 'c'], threshold: 0.5, ngram: 13, scope: 'across' });
  assert.equal(optionsFor('dedup', ['--save-index', 'idx/']).save_index, 'idx/');
  assert.equal(stageKind('dedup').options.parse(dedup).minhash, false);
  assert.deepEqual(optionsFor('langid', ['--keep', 'all']), { keep: 'all' });
  assert.deepEqual(optionsFor('langid', ['--keep', 'en,fr', '--max-chars', '200', '--skip-sources', 'code,math']), { keep: ['en', 'fr'], max_chars: 200, skip_sources: ['code', 'math'] });
  assert.deepEqual(optionsFor('filter', ['--filters', 'zyda,c4', '--set', 'zyda.min_length=50', '--set', 'c4.min_sentences=2', '--features-column']), {
    features_column: true,
    zyda: { min_length: 50 },
    c4: { min_sentences: 2 },
  });
  assert.deepEqual(optionsFor('classify', ['--classifier', 'edu', '--model', 'm.onnx', '--model-tokenizer', 't.json', '--min-score', '3', '--score', 'int_score', '--newlines', 'space', '--lowercase', 'true']), {
    name: 'edu',
    model: 'm.onnx',
    tokenizer: 't.json',
    keep: { min_score: 3, score: 'int_score' },
    preprocess: { newlines: 'space', lowercase: true },
  });
  assert.deepEqual(optionsFor('classify', ['--keep-label', 'High,Medium', '--min-prob', '0.8', '--max-chars', '6000']), { keep: { label: ['High', 'Medium'], min_prob: 0.8 }, max_chars: 6000 });
  assert.throws(() => optionsFor('classify', ['--keep-label', 'High', '--min-score', '3']), /two keep rules/);
  assert.throws(() => optionsFor('classify', ['--lowercase', 'yes']), (e: CommanderError) => /expected true or false/.test(e.message));
  assert.deepEqual(optionsFor('limit', ['--max-docs', '70']), { max_docs: 70 });
  assert.deepEqual(optionsFor('sample', ['--fraction', '0.25', '--seed', '7']), { fraction: 0.25, seed: 7 });
  assert.deepEqual(optionsFor('transform', ['--preset', 'zyda']), { preset: 'zyda' });
  assert.throws(() => optionsFor('langid', ['--max-chars', '12abc']), (e: CommanderError) => /--max-chars.*12abc.*expected an integer/.test(e.message));
  assert.throws(() => optionsFor('dedup', ['--scope', 'everywhere']), CommanderError);
});

test('a flag not given leaves the key out, a --no-x flag included', () => {
  const cmd = addFlags(new Command('run'), RUN_FLAGS);
  cmd.parse([], { from: 'user' });
  const raw: Record<string, unknown> = {};
  applyFlags(raw, RUN_FLAGS, cmd);
  assert.deepEqual(raw, {});
  cmd.parse(['--no-keep-intermediates', '--cpus-per-task', '4'], { from: 'user' });
  applyFlags(raw, RUN_FLAGS, cmd);
  assert.deepEqual(raw, { keep_intermediates: false, slurm: { cpus_per_task: 4 } });
});

test("a plugin's stage kind gets flags from its options, and names the options no flag can spell", () => {
  const plugin = {
    type: 'streaming',
    kind: 'tagger',
    options: z.strictObject({
      field: z.string().default('tag').describe('metadata key'),
      weight: z.number().optional().describe('a weight'),
      tries: z.int().default(3).describe('attempts'),
      mode: z.union([z.literal('fast'), z.literal('slow')]).default('fast').describe('speed'),
      dry: z.boolean().default(true).describe('dry'),
      table: z.record(z.string(), z.number()).default({}),
      name: z.string().optional(),
      maxRows: z.number().optional(),
    }),
    create: () => ({ process: (docs) => docs }),
  } satisfies StageKind;
  const { flags, unflaggable } = stageFlags(plugin, new Set(['--name']));
  assert.deepEqual(
    flags.map((f) => [f.flags, f.key, f.choices]),
    [
      ['--field <value>', 'field', undefined],
      ['--weight <number>', 'weight', undefined],
      ['--tries <n>', 'tries', undefined],
      ['--mode <choice>', 'mode', ['fast', 'slow']],
      ['--no-dry', 'dry', undefined],
    ],
  );
  assert.deepEqual(unflaggable.map((u) => u.key), ['table', 'name', 'maxRows']);
});

test('zyda dedup --help lists the flags made from its options, beside its step subcommands', () => {
  const r = zyda(['dedup', '--help']);
  assert.equal(r.code, 0, r.stderr);
  for (const key of Object.keys(optionSchemas(stageKind('dedup')))) assert.match(r.stdout, new RegExp(`\\[stages\\[\\]\\.dedup\\.${key}\\]`), key);
  for (const flag of ['--no-minhash', '--save-index [value]', '--index <paths...>', '--num-perm <n>', '--threshold <number>', '--scope <choice>', '-i, --input', '--workers <n>']) {
    assert.ok(r.stdout.includes(flag), flag);
  }
  assert.match(r.stdout, /signatures/);
  assert.match(zyda(['filter', '--help']).stdout, /--set <filter\.option=value>.*\n.*\[stages\[\]\.filter\.<filter>\.<option>\]/);
});

test('a bad flag value is a usage error naming the flag; a good one reaches the run', async () => {
  const dir = tempDir();
  try {
    const input = join(dir, 'a.jsonl');
    const docs = [
      'The committee will meet on Tuesday to discuss the budget for next year and the plans for the new library.',
      'Le comité se réunira mardi pour discuter du budget de l’année prochaine et des plans de la nouvelle bibliothèque.',
      'Der Ausschuss trifft sich am Dienstag, um den Haushalt für das nächste Jahr und die Pläne zu besprechen.',
    ];
    writeFileSync(input, docs.map((text) => JSON.stringify({ text })).join('\n') + '\n');
    const out = join(dir, 'out');
    let r = zyda(['langid', '--input', input, '--max-chars', '12abc', '-o', out]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /option '--max-chars <n>' argument '12abc' is invalid\. expected an integer/);
    r = zyda(['sample', '--input', input, '--fraction', 'half', '-o', out]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /'--fraction <number>' argument 'half' is invalid/);
    r = zyda(['run', 'missing.yaml', '--workers', '1.5']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /'--workers <n>' argument '1\.5' is invalid/);

    r = zyda(['langid', '--input', input, '--keep', 'en,fr', '--max-chars', '60', '--label-field', 'lang', '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    const stage = readManifestJson(out).stages[0] as unknown as { kind: string; options: Record<string, unknown> };
    assert.equal(stage.kind, 'langid');
    assert.deepEqual([stage.options.keep, stage.options.max_chars, stage.options.label_field], [['en', 'fr'], 60, 'lang']);
    const rows = await duck<{ lang: string }>(`SELECT json_extract_string(metadata, '$.lang') AS lang FROM '${shardGlob(out)}' ORDER BY lang`);
    assert.deepEqual(rows.map((x) => x.lang), ['en', 'fr']);
  } finally {
    cleanup(dir);
  }
});

test("a run's --no-x flag, not given, leaves the config file's value", () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'a.jsonl'), '{"text":"one"}\n{"text":"two"}\n');
    const cfg = join(dir, 'c.yaml');
    writeFileSync(cfg, 'output: out\nkeep_intermediates: false\nsources: [{name: s, paths: a.jsonl}]\nstages: [{limit: {max_docs: 1}}]\n');
    const r = zyda(['run', cfg, '--workers', '1']);
    assert.equal(r.code, 0, r.stderr);
    const parts = join(dir, 'out', '.zyda', 'parts');
    const files = existsSync(parts) ? readdirSync(parts, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()) : [];
    assert.deepEqual(files.map((e) => e.name), []);
  } finally {
    cleanup(dir);
  }
});
