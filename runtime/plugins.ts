import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, RunError } from '../core/errors.js';
import type { AnyFilterDef } from '../core/filter.js';
import { registerFilter, registerStageKind } from '../core/registry.js';
import type { StageKind } from '../core/stage.js';

/**
 * A plugin is an ES module whose default export is one definition, or an array of them, each made with
 * `defineFilter` or `defineStage` (or written as the same plain object). Loading it registers every
 * definition with the plugin as its origin; the plan records each plugin's file and its sha256, so the task
 * identities change when the file does, and every worker and cluster job loads the very same file.
 */
export interface PluginRecord {
  /** As the config or the command line wrote it, for messages. */
  spec: string;
  /** The module file, absolute. */
  path: string;
  /** Of the module file only: what it imports is not hashed. */
  sha256: string;
}

/** Loaded in this process: path → the record and the import. A changed file is imported again. */
const loaded = new Map<string, { record: PluginRecord; done: Promise<void> }>();

const isFileSpec = (spec: string) => spec.startsWith('.') || isAbsolute(spec);

/**
 * The file a plugin spec names: a path relative to `baseDir`, or a package resolved as `require.resolve` would
 * from `baseDir`, then from zyda's own folder.
 */
export function resolvePlugin(spec: string, baseDir: string): string {
  if (isFileSpec(spec)) return resolve(baseDir, spec);
  for (const from of [join(baseDir, 'package.json'), import.meta.url]) {
    try {
      return createRequire(from).resolve(spec);
    } catch {
      // Not found from here; try the next place.
    }
  }
  throw new ConfigError(`plugin ${spec}: no such package, from ${baseDir} or from zyda's own node_modules (a file's path starts with ./ or /)`);
}

/** A file plugin is named by its absolute path, a package by its name: the registry's `origin`. */
function pluginOrigin(spec: string, path: string): string {
  return isFileSpec(spec) ? path : spec;
}

/**
 * Imports a plugin (once per process and file content) and registers its definitions. Errors are
 * ConfigErrors naming the spec; `where` ("config.yaml:3: ") places them.
 */
export async function loadPlugin(spec: string, path: string, where = ''): Promise<PluginRecord> {
  const fail = (why: string) => new ConfigError(`${where}plugin ${spec}: ${why}`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw fail(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const had = loaded.get(path);
  if (had?.record.sha256 === sha256) {
    await had.done;
    return had.record;
  }
  const record = { spec, path, sha256 };
  // The hash in the URL makes an edited file a new module; the same content is the same module.
  const done = import(`${pathToFileURL(path).href}?sha256=${sha256}`).then(
    (mod: { default?: unknown }) => register(mod.default, pluginOrigin(spec, path), fail),
    (err: unknown) => {
      throw fail(`failed to load: ${(err as Error).message}`);
    },
  );
  loaded.set(path, { record, done });
  try {
    await done;
  } catch (err) {
    loaded.delete(path);
    throw err;
  }
  return record;
}

function register(exported: unknown, origin: string, fail: (why: string) => ConfigError): void {
  if (exported === undefined) throw fail('has no default export (export default defineFilter({...}), or an array of definitions)');
  const defs = Array.isArray(exported) ? exported : [exported];
  defs.forEach((def, i) => {
    const which = defs.length > 1 ? `definition ${i}` : 'its definition';
    const missing = missingFields(def);
    if (missing.length > 0) throw fail(`${which} lacks ${missing.join(', ')} (see defineFilter / defineStage)`);
    try {
      if ('type' in (def as object)) registerStageKind(def as StageKind, origin);
      else registerFilter(def as AnyFilterDef, origin);
    } catch (err) {
      throw fail((err as Error).message.replace(`${origin}: `, ''));
    }
  });
}

/** What a definition must have: a filter's name, options and create; a stage kind's by its type. */
function missingFields(def: unknown): string[] {
  if (!def || typeof def !== 'object') return ['everything: it is not an object'];
  const d = def as Record<string, unknown>;
  const isFn = (k: string) => typeof d[k] === 'function';
  const options = typeof (d.options as { safeParse?: unknown } | undefined)?.safeParse === 'function';
  const need: [string, boolean][] =
    d.type === undefined
      ? [['name', typeof d.name === 'string'], ['options (a zod schema)', options], ['create', isFn('create')]]
      : d.type === 'streaming'
        ? [['kind', typeof d.kind === 'string'], ['options (a zod schema)', options], ['create', isFn('create')]]
        : d.type === 'barrier'
          ? [['kind', typeof d.kind === 'string'], ['options (a zod schema)', options], ...['collect', 'reduceSteps', 'reduceTask', 'apply'].map((k): [string, boolean] => [k, isFn(k)])]
          : [['a type of "streaming" or "barrier"', false]];
  return need.filter(([, ok]) => !ok).map(([name]) => name);
}

/** The records of plugins this process loaded, for the plan. */
export function loadedPlugins(paths: string[]): PluginRecord[] {
  return paths.map((path) => {
    const had = loaded.get(path);
    if (!had) throw new RunError(`plugin ${path} is in the config but was not loaded`);
    return had.record;
  });
}

/**
 * Before a task runs (in a worker thread or a cluster job): the plan's plugins, loaded from the files the plan
 * hashed. A file edited since the plan was made would run other code than the task identities say.
 */
export async function loadPlanPlugins(plugins: PluginRecord[]): Promise<void> {
  for (const p of plugins) {
    const now = await loadPlugin(p.spec, p.path);
    if (now.sha256 !== p.sha256) throw new RunError(`plugin ${p.spec} (${p.path}) changed since the plan was made; run again to plan with it`);
  }
}
