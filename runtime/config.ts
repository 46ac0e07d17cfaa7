import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isMap, isSeq, type Document, type LineCounter } from 'yaml';
import { readConfigDocument, type ConfigDocument } from './config-document.js';
import type { z } from 'zod';
import { pipelineSchema, type PipelineConfig, type StageSpec } from '../core/config-schema.js';
import { ConfigError } from '../core/errors.js';
import { findStageKind, stageKindNames } from '../core/registry.js';
import { resolveTokenizer } from '../tokenizers/spec.js';
import { checkColumns } from './columns.js';
import { loadPlugin, resolvePlugin } from './plugins.js';

/** Where a config came from, so errors can name the file and line of the offending key. */
interface Origin {
  label: string;
  baseDir: string;
  doc?: Document;
  lines?: LineCounter;
}

/**
 * Reads a config file: YAML, then its plugins (their filters and stage kinds must be registered before the
 * stages are validated), then everything else. `flags.plugins`, from the command line, replaces the file's
 * `plugins:` and resolves from the working directory.
 */
export async function loadConfigFile(path: string, flags: { plugins?: string[] } = {}): Promise<PipelineConfig> {
  return configFromDocument(readConfigDocument(path), flags);
}

/** A config file already read (config-document.ts): its plugins, then everything else, as loadConfigFile. */
export async function configFromDocument(document: ConfigDocument, flags: { plugins?: string[] } = {}): Promise<PipelineConfig> {
  const { path, raw, doc, lines } = document;
  const origin: Origin = { label: path, baseDir: dirname(resolve(path)), doc, lines };
  const plugins = flags.plugins ? await loadPlugins(flags.plugins, { label: '--plugin', baseDir: process.cwd() }) : await loadPlugins(pluginsKey(raw), origin);
  return resolveConfig(raw, origin, plugins);
}

/** Builds a config from an object (the CLI's flags); relative paths resolve against the working directory. */
export async function configFromObject(raw: unknown, label = 'command line'): Promise<PipelineConfig> {
  const origin = { label, baseDir: process.cwd() };
  return resolveConfig(raw, origin, await loadPlugins(pluginsKey(raw), origin));
}

const pluginsKey = (raw: unknown) => (raw as { plugins?: unknown } | null)?.plugins;

/** Loads each plugin in order; returns their files, or undefined for none (a config without plugins hashes as before). */
async function loadPlugins(specs: unknown, origin: Origin): Promise<string[] | undefined> {
  if (specs === undefined) return undefined;
  const parsed = pipelineSchema.shape.plugins.safeParse(specs);
  if (!parsed.success) throw new ConfigError(formatIssues(parsed.error.issues.map((x) => ({ ...x, path: ['plugins', ...x.path] })), origin).join('\n'));
  const paths: string[] = [];
  for (const [i, spec] of (parsed.data ?? []).entries()) {
    const where = locate(origin, ['plugins', i]);
    let path: string;
    try {
      path = resolvePlugin(spec, origin.baseDir);
    } catch (err) {
      throw new ConfigError(where + (err as Error).message);
    }
    await loadPlugin(spec, path, where);
    paths.push(path);
  }
  return paths.length > 0 ? paths : undefined;
}

/** A URL (s3://, gs://, hf://, https://…) where a path is expected. */
const REMOTE = /^([a-z][a-z0-9+.-]*):\/\//i;

function resolveConfig(raw: unknown, origin: Origin, plugins: string[] | undefined): PipelineConfig {
  // Every problem of the schema and of each stage's options at once, in file order, so one edit fixes them all.
  const problems: string[] = [];
  const parsed = pipelineSchema.safeParse(raw ?? {});
  if (!parsed.success) problems.push(...formatIssues(parsed.error.issues, origin));
  const rawStages = (raw as { stages?: unknown } | null)?.stages;
  const stages: StageSpec[] = [];
  if (Array.isArray(rawStages)) {
    rawStages.forEach((item: unknown, i) => {
      if (!item || typeof item !== 'object' || Array.isArray(item)) return;
      const stage = parseStage(item as Record<string, unknown>, i, origin);
      if (typeof stage === 'string') problems.push(stage);
      else stages.push(stage);
    });
  }
  if (parsed.success) {
    const names = new Set<string>();
    parsed.data.sources.forEach((s, i) => {
      if (names.has(s.name)) problems.push(configError(origin, ['sources', i, 'name'], `duplicate source name ${JSON.stringify(s.name)}`).message);
      names.add(s.name);
      s.paths.forEach((p, j) => {
        if (REMOTE.test(p)) problems.push(configError(origin, ['sources', i, 'paths', j], `${p}: remote inputs (${REMOTE.exec(p)![1]}://) are not supported yet; copy the files to a local or mounted path first`).message);
      });
    });
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(inFileOrder(problems).join('\n'));
  const cfg = parsed.data;

  // Every doc carries a token count; a pipeline that names no tokens stage counts them last.
  if (!stages.some((s) => s.kind === 'tokens')) stages.push({ kind: 'tokens', options: {} });
  checkColumns(stages, (i, message) => configError(origin, ['stages', i, stages[i].kind], message));

  const abs = (p: string) => (isAbsolute(p) || p === '-' ? p : resolve(origin.baseDir, p));
  const output = abs(cfg.output);
  const resolved: PipelineConfig = {
    ...cfg,
    plugins,
    output,
    workdir: cfg.workdir ? abs(cfg.workdir) : join(output, '.zyda'),
    keep_rejected: cfg.keep_rejected ? abs(cfg.keep_rejected) : undefined,
    workers: cfg.workers === 'auto' ? availableParallelism() : cfg.workers,
    sources: cfg.sources.map((s) => ({ ...s, paths: s.paths.map(abs) })),
    stages,
    write: { ...cfg.write, tokenizer: resolveTokenizer(cfg.write.tokenizer, abs) },
  };
  stages.forEach((spec, stageIndex) => {
    const def = findStageKind(spec.kind)!;
    if (!def.resolve) return;
    const error = (message: string, key?: string) => configError(origin, ['stages', stageIndex, spec.kind, ...(key === undefined ? [] : [key])], message);
    spec.options = def.resolve(spec.options, { config: resolved, abs, stageIndex, stages, error }) as Record<string, unknown>;
  });
  return resolved;
}

/** A stage, or its problems (one per line) when its kind or options are wrong. */
function parseStage(item: Record<string, unknown>, i: number, origin: Origin): StageSpec | string {
  const keys = Object.keys(item);
  if (keys.length !== 1) return configError(origin, ['stages', i], `each stage is a single {<kind>: options} entry, got keys ${JSON.stringify(keys)}`).message;
  const kind = keys[0];
  const def = findStageKind(kind);
  if (!def) {
    const guess = closestKey(kind, stageKindNames());
    return configError(origin, ['stages', i, kind], `unknown stage kind ${JSON.stringify(kind)}${guess ? ` (did you mean "${guess}"?)` : ''}; expected one of ${stageKindNames().join(', ')}`).message;
  }
  const parsed = def.options.safeParse(item[kind] ?? {});
  if (!parsed.success) return formatIssues(parsed.error.issues.map((x) => ({ ...x, path: ['stages', i, kind, ...x.path] })), origin).join('\n');
  return { kind, options: parsed.data as Record<string, unknown> };
}

/** Problems sorted by the line each names (`file:line: …`); those without a line keep their order, first. */
function inFileOrder(problems: string[]): string[] {
  const lineOf = (p: string) => Number(/^[^\n]*?:(\d+): /.exec(p)?.[1] ?? 0);
  return problems.flatMap((p) => p.split('\n')).map((p, i) => ({ p, i, line: lineOf(p) })).sort((a, b) => a.line - b.line || a.i - b.i).map((x) => x.p);
}

function formatIssues(issues: z.core.$ZodIssue[], origin: Origin): string[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'unrecognized_keys') return [locate(origin, issue.path) + `${keyPath(issue.path)}: ${issue.message}`];
    // Point at the unknown key itself, and guess the key that was meant: typos are the usual cause.
    return issue.keys.map((key) => {
      const path = [...issue.path, key];
      const guess = closestKey(key, knownKeys(issue.path));
      return locate(origin, path) + `${keyPath(path)}: unknown key${guess ? ` (did you mean "${guess}"?)` : ''}`;
    });
  });
}

/** The keys the schema accepts where `path` points: the config's own, or a stage kind's options (filters included). */
function knownKeys(path: PropertyKey[]): string[] {
  if (path[0] === 'stages' && typeof path[2] === 'string') {
    const def = findStageKind(path[2]);
    return def ? keysAt(def.options, path.slice(3)) : [];
  }
  return keysAt(pipelineSchema, path);
}

/** Walks a zod schema down object keys and array items, through optional and default wrappers. */
function keysAt(schema: z.ZodType, path: PropertyKey[]): string[] {
  type Node = { _zod: { def: { type: string; innerType?: Node; element?: Node; shape?: Record<string, Node> } } };
  const unwrap = (n: Node | undefined): Node | undefined => (n?._zod.def.innerType ? unwrap(n._zod.def.innerType) : n);
  let node = unwrap(schema as unknown as Node);
  for (const key of path) {
    const def = node?._zod.def;
    node = unwrap(typeof key === 'number' ? def?.element : def?.shape?.[String(key)]);
  }
  return Object.keys(node?._zod.def.shape ?? {});
}

function closestKey(key: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(key, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

function configError(origin: Origin, path: PropertyKey[], message: string): ConfigError {
  return new ConfigError(locate(origin, path) + `${keyPath(path)}: ${message}`);
}

/** "file:line: " for the deepest node of `path` that exists in the YAML, or "label: " without a document. */
function locate(origin: Origin, path: PropertyKey[]): string {
  const { doc, lines } = origin;
  if (!doc || !lines) return `${origin.label}: `;
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as (string | number)[], true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) {
      // A map's range starts at its first key; point at the key that names it instead when we can.
      const keyNode = n > 0 ? findKeyNode(doc, path.slice(0, n)) : undefined;
      const offset = keyNode?.range?.[0] ?? range[0];
      return `${origin.label}:${lines.linePos(offset).line}: `;
    }
  }
  return `${origin.label}: `;
}

function findKeyNode(doc: Document, path: PropertyKey[]): { range?: [number, number, number] } | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1) as (string | number)[], true);
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((p) => (p.key as { value?: unknown })?.value === last);
    return pair?.key as { range?: [number, number, number] } | undefined;
  }
  if (isSeq(parent) && typeof last === 'number') return parent.items[last] as { range?: [number, number, number] } | undefined;
  return undefined;
}

function keyPath(path: PropertyKey[]): string {
  if (path.length === 0) return '(config)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : (i > 0 ? '.' : '') + String(p))).join('');
}

/** Back from a resolved config to the shape the schema accepts (stages as `{kind: options}` entries). */
export function rawConfigOf(cfg: PipelineConfig): Record<string, unknown> {
  return { ...cfg, stages: cfg.stages.map((s) => ({ [s.kind]: s.options })) };
}
