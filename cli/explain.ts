import type { Command } from 'commander';
import { filterNames, findFilter } from '../core/registry.js';
import { ConfigError } from '../core/errors.js';
import { listValue } from '../core/flags.js';
import { addFlags, applyFlags, flagParser, SOURCE_FLAGS } from './flags.js';
import { table } from '../core/table.js';

/** The input flags that describe raw files (a zyda output needs none of them). */
const INPUT_FLAGS = SOURCE_FLAGS.filter((f) => ['source.text_field', 'source.id_field', 'source.format'].includes(f.key));

export function registerExplain(program: Command): void {
  const cmd = program
    .command('explain')
    .description("print a document's filter features and every rule's verdict")
    .argument('<output-or-input>', 'a zyda output (or its keep_rejected output), or input files')
    .requiredOption('--id <id>', 'the document id')
    .option('--config <pipeline.yaml>', "use this pipeline's filter thresholds (default: each filter's defaults)")
    .option('--filters <list>', 'filters to explain (default: those in --config, else zyda)', flagParser(listValue));
  addFlags(cmd, INPUT_FLAGS).action(async (path: string, opts: Record<string, unknown>) => {
    const source: Record<string, unknown> = {};
    applyFlags(source, INPUT_FLAGS, cmd);
    const { findDoc } = await import('./find-doc.js');
    const found = await findDoc(path, opts.id as string, (source.source ?? {}) as Record<string, unknown>);
    if (!found) throw new ConfigError(`no document with id ${JSON.stringify(opts.id)} in ${path}`);
    const configured = await filterOptions(opts.config as string | undefined);
    const names = (opts.filters as string[] | undefined) ?? (Object.keys(configured).length > 0 ? Object.keys(configured) : ['zyda']);
    const out: string[] = [`${found.doc.id}  (source ${found.doc.source}, ${found.where})`];
    if (found.reason) out.push(`dropped by: ${found.reason}`);
    for (const name of names) {
      const def = findFilter(name);
      if (!def) throw new ConfigError(`no filter ${name} (known: ${filterNames().join(', ')}; a plugin's filter needs --config naming the plugin)`);
      const o = def.options.parse(configured[name] ?? {});
      const v = def.create(o)(found.doc);
      out.push('', `${name}: ${v.keep ? 'keep' : `drop (${v.reason})`}`);
      // A filter without `explain` (a plugin may leave it out) still shows its verdict and features.
      const verdicts = def.explain?.(o)(found.doc);
      if (verdicts) out.push(table(['rule', 'value', 'threshold', 'verdict'], verdicts.map((r) => [r.rule, Number(r.value.toPrecision(6)), r.threshold, r.passed ? 'pass' : 'DROP'])));
      out.push('', 'features:', JSON.stringify(v.features ?? {}, null, 2));
    }
    process.stdout.write(out.join('\n') + '\n');
  });
}

async function filterOptions(configPath: string | undefined): Promise<Record<string, unknown>> {
  if (!configPath) return {};
  const { loadConfigFile } = await import('../runtime/config.js');
  const stage = (await loadConfigFile(configPath)).stages.find((s) => s.kind === 'filter');
  if (!stage) return {};
  return Object.fromEntries(Object.entries(stage.options).filter(([k]) => findFilter(k) !== undefined));
}
