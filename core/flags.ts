import { parseBytes } from './bytes.js';

/**
 * A command-line flag that writes one config key. Every flag mirrors a key one to one (`--text-field` is
 * `sources[].text_field`, `--max-chars` is `stages[].langid.max_chars`), so a command line can always be
 * written as YAML.
 */
export interface Flag {
  /** Commander's spelling: `--max-chars <n>`, `--no-minhash`, `--save-index [path]`, `-o, --output <dir>`. */
  flags: string;
  /** Dotted config path; for a stage's flags, relative to that stage's options. */
  key: string;
  /** The config key the help names, when the value is reshaped into other keys (`--set` → `<filter>.<option>`). */
  shows?: string;
  help: string;
  /** Turns the text given into the key's value; throws an Error saying what it expected. */
  parse?: (value: string, previous?: any) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
  choices?: readonly string[];
}

/** The value parsers every flag uses, so one kind of value parses the same way wherever it is given. */
export function intValue(v: string): number {
  const n = /^\s*[-+]?\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw new Error(`expected an integer, got ${JSON.stringify(v)}`);
  return n;
}

export function numValue(v: string): number {
  const n = v.trim() === '' ? NaN : Number(v);
  if (!Number.isFinite(n)) throw new Error(`expected a number, got ${JSON.stringify(v)}`);
  return n;
}

/** `a,b , c` → [a, b, c]. */
export function listValue(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

/** A byte size as the config takes it: a plain count becomes a number, `64MB` stays text for the config to read. */
export function sizeValue(v: string): number | string {
  if (parseBytes(v) === undefined) throw new Error(`expected a size such as 4096, 64MB or 1GiB, got ${JSON.stringify(v)}`);
  return /^\d+$/.test(v) ? Number(v) : v;
}

/** A repeatable flag: each use adds one value. */
export function repeatValue(v: string, previous: string[] = []): string[] {
  return [...previous, v];
}
