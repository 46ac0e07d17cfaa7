import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { isDynamicPattern } from 'tinyglobby';
import type { PipelineConfig } from '../core/config-schema.js';
import { ConfigError } from '../core/errors.js';
import { globBase } from './plan.js';

/** A path of the config with what it names on disk: symlinks resolved, so an alias of another path is caught. */
interface Place {
  role: 'output' | 'workdir' | 'keep_rejected' | 'input';
  /** How the config names it: `output /data/out`, `input /data/raw (sources[0].paths[1], source "web")`. */
  label: string;
  path: string;
  real: string;
}

/** Symlinks resolved in the longest prefix of `path` that exists; the part that does not exist yet is kept as it is. */
export function realPathOf(path: string): string {
  const missing: string[] = [];
  let head = path;
  for (;;) {
    try {
      return join(realpathSync(head), ...missing);
    } catch {
      const up = dirname(head);
      if (up === head) return path;
      missing.unshift(basename(head));
      head = up;
    }
  }
}

const place = (role: Place['role'], label: string, path: string): Place => ({ role, label, path, real: realPathOf(path) });

/** `inner` is `outer` or somewhere below it. */
function within(inner: Place, outer: Place): boolean {
  return inner.real === outer.real || inner.real.startsWith(outer.real.endsWith(sep) ? outer.real : outer.real + sep);
}

/** A source path: a file, a directory, or a glob read from its part before the first wildcard. */
interface Input extends Place {
  /** The glob's segments after that part; undefined for a file or directory, which is read whole. */
  pattern?: string[];
}

/** Where `--input -` is spooled before the run reads it like a file (cli/stdin.ts). */
export const stdinSpoolPath = (workdir: string) => join(workdir, 'stdin', 'stdin.jsonl');

function inputPlaces(cfg: PipelineConfig): Input[] {
  return cfg.sources.flatMap((s, i) =>
    s.paths.flatMap((p, j) => {
      if (p === '-' || p === stdinSpoolPath(cfg.workdir)) return [];
      const label = `input ${p} (sources[${i}].paths[${j}], source "${s.name}")`;
      if (existsSync(p) || !isDynamicPattern(p)) return [place('input', label, p)];
      const base = globBase(p);
      return [{ ...place('input', label, base), pattern: relative(base, p).split(sep) }];
    }),
  );
}

/**
 * The input may read files at or below `p`. A glob reaches a directory below its base only if its segments can
 * lead there: `in/*.jsonl` never reads `in/out/`, `in/**\/*.parquet` does. A wildcard segment is taken to match
 * any name, which errs on the side of refusing.
 */
function reaches(input: Input, p: Place): boolean {
  if (!within(p, input)) return false;
  if (!input.pattern) return true;
  const below = relative(input.real, p.real).split(sep).filter(Boolean);
  if (below.length === 0 || input.pattern.some((seg) => seg.includes('**'))) return true;
  return input.pattern.length > below.length && below.every((name, i) => isDynamicPattern(input.pattern![i]) || input.pattern![i] === name);
}

/** Either holds the other, or the input reads files inside `p`. */
const overlaps = (p: Place, input: Input) => within(input, p) || reaches(input, p);

function named(p: Place): string {
  return p.real === p.path ? p.label : `${p.label} (resolves to ${p.real})`;
}

function overlapError(a: Place, b: Place, why: string): ConfigError {
  const how = a.real === b.real ? 'are the same directory' : within(a, b) ? `overlap: the ${a.role} is inside the ${b.role}` : within(b, a) ? `overlap: the ${b.role} is inside the ${a.role}` : `overlap: the ${b.role}'s glob reaches into the ${a.role}`;
  return new ConfigError(`${named(a)} and ${named(b)} ${how}; ${why}`);
}

/**
 * Refuses a config whose places overlap: an output inside (or around) an input is read back in on the next run
 * and its commit could delete input files; a workdir inside an input is read as input; rejected docs written
 * inside the output are deleted by its commit.
 */
export function checkPathOverlap(cfg: PipelineConfig): void {
  const inputs = inputPlaces(cfg);
  const output = place('output', `output ${cfg.output}`, cfg.output);
  const workdir = place('workdir', `workdir ${cfg.workdir}`, cfg.workdir);
  const rejected = cfg.keep_rejected === undefined ? undefined : place('keep_rejected', `keep_rejected ${cfg.keep_rejected}`, cfg.keep_rejected);
  for (const input of inputs) {
    if (overlaps(output, input)) throw overlapError(output, input, 'zyda would read its own output as input, or delete input files when it commits; choose an output outside every input');
    if (reaches(input, workdir)) throw overlapError(workdir, input, 'zyda would read its intermediate files as input; choose a workdir outside every input');
    if (rejected && overlaps(rejected, input)) throw overlapError(rejected, input, 'zyda would read the rejected docs back in as input; choose a keep_rejected directory outside every input');
  }
  if (rejected && (within(rejected, output) || within(output, rejected))) throw overlapError(rejected, output, 'the rejected docs and the output are separate datasets, and each commit would delete the other\'s files; choose a keep_rejected directory beside the output');
}
