import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { filterNames, findFilter, stageKind } from '../core/registry.js';
import { ConfigError } from '../core/errors.js';
import type { StageSpec } from '../core/config-schema.js';
import type { PlanFile } from '../runtime/plan-file.js';
import { table } from '../core/table.js';
import type { FilterOptions } from '../stages/filter/index.js';
import { namedFilters } from '../stages/filter/kind.js';
import type { Doc } from '../core/types.js';

/** `source`: the input flags given, for input files. */
export async function explainCommand(path: string, opts: Record<string, unknown>, source: Record<string, unknown>): Promise<void> {
  const { findDoc } = await import('./find-doc.js');
  const found = await findDoc(path, opts.id as string, (source.source ?? {}) as Record<string, unknown>);
  if (!found) throw new ConfigError(`no document with id ${JSON.stringify(opts.id)} in ${path}`);
  const run = await runStages(path, opts.config as string | undefined);
  const used = run ? explainable(run.stages) : new Map<string, unknown>();
  const names = (opts.filters as string[] | undefined) ?? (used.size > 0 ? [...used.keys()] : ['zyda']);
  const out: string[] = [`${found.doc.id}  (source ${found.doc.source}, ${found.where})`];
  if (found.reason) out.push(`dropped by: ${found.reason}`);
  out.push(run ? `thresholds: as the run used them (${run.from})` : 'thresholds: each filter\'s defaults (give --config, or explain in a zyda output)');
  const { explainLanguage } = await import('../stages/langid/task.js');
  for (const name of names) out.push('', ...(name.startsWith(CLASSIFY) ? await explainClassifier(name, used.get(name), found.doc) : await explainOne(name, used.get(name), found.doc, explainLanguage)));
  process.stdout.write(out.join('\n') + '\n');
}

/** The stages a doc went through: from --config, else from the output's manifest (its plugins from its plan). */
async function runStages(path: string, configPath: string | undefined): Promise<{ stages: StageSpec[]; from: string } | undefined> {
  const [{ loadConfigFile }, { manifestPath, readManifest }, { isZydaOutput }, { loadPlanPlugins }] = await Promise.all([
    import('../runtime/config.js'),
    import('../runtime/manifest.js'),
    import('../runtime/plan.js'),
    import('../runtime/plugins.js'),
  ]);
  if (configPath) return { stages: (await loadConfigFile(configPath)).stages, from: configPath };
  const dir = resolve(path);
  if (!isZydaOutput(dir)) return undefined;
  const plan = join(dir, '.zyda', 'plan.json');
  if (existsSync(plan)) {
    const plugins = (JSON.parse(readFileSync(plan, 'utf8')) as PlanFile).plugins;
    if (plugins) await loadPlanPlugins(plugins);
  }
  return { stages: readManifest(dir).stages, from: manifestPath(dir) };
}

/** A classify stage is explained under `classify/<its name>`, as its drop reasons start. */
const CLASSIFY = 'classify/';

/** Filter name (or `langid`, or `classify/<name>`) → the options the run gave it, in stage order; the first stage naming one wins. */
function explainable(stages: StageSpec[]): Map<string, unknown> {
  const used = new Map<string, unknown>();
  for (const spec of stages) {
    if (spec.kind === 'langid' && !used.has('langid')) used.set('langid', spec.options);
    if (spec.kind === 'classify') used.set(`${CLASSIFY}${String(spec.options.name)}`, spec.options);
    if (spec.kind !== 'filter') continue;
    for (const name of namedFilters(spec.options as unknown as FilterOptions)) if (!used.has(name)) used.set(name, spec.options[name]);
  }
  return used;
}

type ExplainLanguage = (typeof import('../stages/langid/task.js'))['explainLanguage'];

async function explainOne(name: string, options: unknown, doc: Doc, explainLanguage: ExplainLanguage): Promise<string[]> {
  if (name === 'langid') {
    const rows = explainLanguage(stageKind('langid').options.parse(options ?? {}) as Parameters<typeof explainLanguage>[0], doc.text);
    const keep = rows.every((r) => r.passed);
    return [`langid: ${keep ? 'keep' : `drop (${rows.find((r) => !r.passed)!.rule})`}`, verdictTable(rows)];
  }
  const def = findFilter(name);
  if (!def) throw new ConfigError(`no filter ${name} (known: ${[...filterNames(), 'langid'].join(', ')}; a plugin's filter needs --plugin or --config naming the plugin)`);
  const o = def.options.parse(options ?? {});
  const v = (await def.create(o))(doc);
  const lines = [`${name}: ${v.keep ? 'keep' : `drop (${v.reason})`}${options === undefined ? '  (the run did not use it: its defaults)' : ''}`];
  // A filter without `explain` (a plugin may leave it out) still shows its verdict, features and thresholds.
  const verdicts = def.explain ? (await def.explain(o))(doc) : undefined;
  if (verdicts) lines.push(verdictTable(verdicts));
  else lines.push(`options: ${JSON.stringify(o)}`);
  lines.push('', 'features:', JSON.stringify(v.features ?? {}, null, 2));
  return lines;
}

/** A classify stage's verdict: the model runs on the doc with the run's options (its model file, its keep rule). */
async function explainClassifier(name: string, options: unknown, doc: Doc): Promise<string[]> {
  if (options === undefined) throw new ConfigError(`${name}: the run has no classify stage named ${JSON.stringify(name.slice(CLASSIFY.length))} (give --config naming it)`);
  const { explainClassify } = await import('../stages/classify/task.js');
  const { rows, changed } = await explainClassify(stageKind('classify').options.parse(options) as Parameters<typeof explainClassify>[0], doc.text);
  const keep = rows.every((r) => r.passed);
  const lines = [`${name}: ${keep ? 'keep' : `drop (${rows.find((r) => !r.passed)!.rule})`}`];
  if (changed) lines.push(`note: ${changed}`);
  return [...lines, verdictTable(rows)];
}

function verdictTable(rows: { rule: string; value: string | number; threshold: string; passed: boolean }[]): string {
  const shown = (v: string | number) => (typeof v === 'number' ? Number(v.toPrecision(6)) : v);
  return table(['rule', 'value', 'threshold', 'verdict'], rows.map((r) => [r.rule, shown(r.value), r.threshold, r.passed ? 'pass' : 'DROP']));
}
