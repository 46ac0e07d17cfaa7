import type { Command } from 'commander';
import { globalRegistry } from 'zod';
import { intValue, listValue, numValue, type Flag } from '../core/flags.js';
import type { StageKind } from '../core/stage.js';
import { applyFlags, longFlag } from './flags.js';

/**
 * A stage kind's flags, made from its zod options: one flag per top-level option, named after the key in kebab
 * case (`max_chars` → `--max-chars`), with the help the schema carries. The kind's `cli` hook adds or replaces
 * flags where one option is not one flag (stages/filter's `--filters` and `--set`).
 */
export interface StageFlags {
  /** Keys relative to the stage's options. */
  flags: Flag[];
  /** Options left without a flag: their type has no flag spelling, or their name is a flag every stage command has. */
  unflaggable: { key: string; why: string }[];
}

/** The part of a zod 4 schema's definition this reads; `_zod.def` is zod's own introspection surface. */
interface Def {
  type: string;
  innerType?: Schema;
  defaultValue?: unknown;
  shape?: Record<string, Schema>;
  options?: Schema[];
  element?: Schema;
  entries?: Record<string, string | number>;
  values?: unknown[];
  /** A number's `int()` is a `number_format` check; `z.int()` is a number whose own def has the format. */
  format?: string;
  checks?: { _zod: { def: { check: string; format?: string } } }[];
}
interface Schema {
  _zod: { def: Def };
}

/** Wrappers that leave the value's type as it is. */
const WRAPPERS = new Set(['default', 'prefault', 'optional', 'nonoptional', 'nullable', 'readonly', 'catch']);

/** The type under the wrappers, the default among them, and the first description met on the way down. */
function unwrap(schema: Schema): { schema: Schema; defaultValue?: unknown; help?: string } {
  let help: string | undefined;
  let defaultValue: unknown;
  let s = schema;
  for (;;) {
    help ??= globalRegistry.get(s as never)?.description;
    const def = s._zod.def;
    if (def.type === 'default' || def.type === 'prefault') defaultValue ??= def.defaultValue;
    if (!WRAPPERS.has(def.type) || !def.innerType) return { schema: s, defaultValue, help };
    s = def.innerType;
  }
}

const typeOf = (s: Schema) => unwrap(s).schema._zod.def.type;

function stringValues(s: Schema): string[] | undefined {
  const def = unwrap(s).schema._zod.def;
  const values = def.type === 'enum' ? Object.values(def.entries ?? {}) : def.type === 'literal' ? def.values ?? [] : undefined;
  return values?.every((v): v is string => typeof v === 'string') ? values : undefined;
}

const isInteger = (def: Def) => [def, ...(def.checks ?? []).map((c) => c._zod.def)].some((d) => d.format?.includes('int'));

const isStringList = (s: Schema) => {
  const def = unwrap(s).schema._zod.def;
  return def.type === 'array' && def.element !== undefined && (typeOf(def.element) === 'string' || stringValues(def.element) !== undefined);
};

type Spelling = Omit<Flag, 'key' | 'help'>;

/** The flag spelling and parser for one option's type, or undefined when the type has none. */
function spell(long: string, schema: Schema): Spelling | undefined {
  const { schema: s, defaultValue } = unwrap(schema);
  const def = s._zod.def;
  switch (def.type) {
    case 'boolean':
      return { flags: defaultValue === true ? `--no-${long}` : `--${long}` };
    case 'number':
      return isInteger(def) ? { flags: `--${long} <n>`, parse: intValue } : { flags: `--${long} <number>`, parse: numValue };
    case 'string':
      return { flags: `--${long} <value>` };
    case 'enum':
    case 'literal': {
      const choices = stringValues(s);
      return choices && { flags: `--${long} <choice>`, choices };
    }
    case 'array':
      return isStringList(s) ? { flags: `--${long} <list>`, parse: listValue } : undefined;
    case 'union':
      return spellUnion(long, def.options ?? []);
    default:
      return undefined;
  }
}

/** The unions options use: a path or `true` (`--save-index [value]`), a word or a list (`--keep all|en,fr`), one of some words. */
function spellUnion(long: string, options: Schema[]): Spelling | undefined {
  const types = new Set(options.map(typeOf));
  if (types.size === 2 && types.has('boolean') && types.has('string')) return { flags: `--${long} [value]` };
  const words: string[] = [];
  let list = false;
  for (const o of options) {
    const w = stringValues(o);
    if (w) words.push(...w);
    else if (isStringList(o)) list = true;
    else return undefined;
  }
  if (!list) return { flags: `--${long} <choice>`, choices: words };
  return { flags: `--${long} <list>`, parse: (v: string) => (words.includes(v) ? v : listValue(v)) };
}

const SNAKE_CASE = /^[a-z][a-z0-9_]*$/;

/** The schema of each top-level option, for object schemas (refined or not); other schemas have no flags. */
export function optionSchemas(def: StageKind): Record<string, Schema> {
  const d = (def.options as unknown as Schema)._zod.def;
  return d.type === 'object' ? d.shape ?? {} : {};
}

/**
 * The flags of `zyda <kind>` for the stage's own options. `taken` holds the long names the command already has
 * (input, output and run flags); an option whose flag would reuse one stays unflaggable unless the kind says why.
 */
export function stageFlags(def: StageKind, taken: ReadonlySet<string> = new Set()): StageFlags {
  const options = optionSchemas(def);
  const byHand = def.cli?.flags ?? [];
  const unflagged = new Set(def.cli?.unflagged?.() ?? []);
  const flags: Flag[] = byHand.filter((f) => !(f.key in options));
  const unflaggable: StageFlags['unflaggable'] = [];
  for (const [key, schema] of Object.entries(options)) {
    const { help = '' } = unwrap(schema);
    const hand = byHand.find((f) => f.key === key);
    if (hand) {
      flags.push({ ...hand, help: hand.help || help });
      continue;
    }
    if (unflagged.has(key)) continue;
    if (!SNAKE_CASE.test(key)) {
      unflaggable.push({ key, why: 'only snake_case keys have flags' });
      continue;
    }
    const spelt = spell(key.replace(/_/g, '-'), schema);
    const flag = spelt && { ...spelt, key, help: spelt.flags.startsWith('--no-') ? `${help}, on unless this flag is given` : help };
    if (!flag) unflaggable.push({ key, why: `a ${typeOf(schema)} option has no flag spelling` });
    else if (taken.has(longFlag(flag))) unflaggable.push({ key, why: `${longFlag(flag)} is a flag of every stage command` });
    else flags.push(flag);
  }
  return { flags, unflaggable };
}

/** The stage's options from the flags given on the command line. */
export function stageOptionsFrom(def: StageKind, flags: Flag[], cmd: Command): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  applyFlags(options, flags, cmd);
  def.cli?.shape?.(options);
  return options;
}
