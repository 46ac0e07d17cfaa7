import { ConfigError } from './errors.js';
import type { AnyFilterDef } from './filter.js';
import type { StageKind, StageTasks } from './stage.js';

/**
 * The stage kinds and filters a config may name. The built-ins register here at start-up (stages/builtins.ts),
 * plugins the same way; the runtime looks kinds up by name and knows none of them.
 */
const stageKinds = new Map<string, { def: StageKind; origin: string }>();
const filters = new Map<string, { def: AnyFilterDef; origin: string }>();

const NAME = /^[a-z][a-z0-9_]*$/;

function add<T>(what: string, into: Map<string, { def: T; origin: string }>, name: string, def: T, origin: string): void {
  if (!NAME.test(name)) throw new ConfigError(`${origin}: ${what} name ${JSON.stringify(name)} must be lower case letters, digits and "_", starting with a letter`);
  const had = into.get(name);
  if (had && had.def === def) return;
  // The same plugin loaded again after its file changed replaces what it registered before.
  if (had && had.origin !== origin) throw new ConfigError(`${origin}: ${what} ${JSON.stringify(name)} is already registered by ${had.origin}`);
  into.set(name, { def, origin });
}

/** Makes a stage kind nameable in `stages:`; `origin` (zyda, or a plugin's path) names it in errors. */
export function registerStageKind(def: StageKind, origin = 'zyda'): void {
  add('stage kind', stageKinds, def.kind, def, origin);
}

/** Makes a filter nameable in a `filter` stage. */
export function registerFilter(def: AnyFilterDef, origin = 'zyda'): void {
  add('filter', filters, def.name, def, origin);
}

export function findStageKind(name: string): StageKind | undefined {
  return stageKinds.get(name)?.def;
}

/** The kind of a stage the config already validated: a missing one means its registration was not loaded here. */
export function stageKind(name: string): StageKind {
  const def = findStageKind(name);
  if (!def) throw new ConfigError(`unknown stage kind ${JSON.stringify(name)}; known: ${stageKindNames().join(', ')} (a plugin's kind needs its plugin loaded)`);
  return def;
}

/**
 * Task sides of kinds whose definitions are not loaded in this thread (stages/tasks.ts registers zyda's own in
 * worker threads); a registered definition comes first.
 */
const taskSides = new Map<string, StageTasks>();

export function registerStageTasks(tasks: StageTasks): void {
  taskSides.set(tasks.kind, tasks);
}

/** What running a stage's tasks needs of its kind: its definition where loaded, else its registered task side. */
export function stageTasks(name: string): StageTasks {
  return findStageKind(name) ?? taskSides.get(name) ?? stageKind(name);
}

export function stageKindNames(): string[] {
  return [...stageKinds.keys()];
}

export function findFilter(name: string): AnyFilterDef | undefined {
  return filters.get(name)?.def;
}

export function filterNames(): string[] {
  return [...filters.keys()];
}

/** Who registered a stage kind or filter: "zyda" or a plugin's path. */
export function originOf(what: 'stage' | 'filter', name: string): string | undefined {
  return (what === 'stage' ? stageKinds : filters).get(name)?.origin;
}
