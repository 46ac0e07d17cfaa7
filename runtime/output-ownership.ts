import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../core/atomic.js';
import type { PipelineConfig } from '../core/config-schema.js';
import { ConfigError } from '../core/errors.js';
import { manifestPath } from './manifest.js';
import { TEMP_NAME } from '../core/atomic.js';
import { checkPathOverlap } from './path-overlap.js';
import { checkWritable } from './writable.js';

/** Written into an output before anything else: the directory is this dataset's, even if its first run crashed. */
export const OWNER_STAMP = '.zyda-output.json';

interface OwnerStamp {
  name: string;
  created_at: string;
}

/** The dataset name recorded in the keep_rejected output. */
const rejectedDatasetName = (name: string) => `${name} (rejected)`;

/** A directory zyda writes a dataset into, with the name that makes it this config's. */
interface OutputDir {
  key: 'output' | 'keep_rejected';
  path: string;
  name: string;
}

function outputDirs(cfg: PipelineConfig): OutputDir[] {
  const dirs: OutputDir[] = [{ key: 'output', path: cfg.output, name: cfg.name }];
  if (cfg.keep_rejected) dirs.push({ key: 'keep_rejected', path: cfg.keep_rejected, name: rejectedDatasetName(cfg.name) });
  return dirs;
}

/** The stamp, the output lock (and a takeover's claim on it), and the commit journal. */
const FIRST_RUN_FILES = /^(\.zyda-output\.json|\.zyda\.lock|\.zyda\.lock\.takeover-[0-9a-f]+|\.zyda-commit\.json)$/;

/**
 * What zyda puts into an output before it first commits: the files above, the default workdir, and temporary
 * files. A directory holding nothing else is a first run's, perhaps one killed before its stamp.
 */
function isFirstRunLeftover(entry: Dirent): boolean {
  if (entry.name === '.zyda') return entry.isDirectory();
  return FIRST_RUN_FILES.test(entry.name) || TEMP_NAME.test(entry.name);
}

/** The `name` field of a JSON file zyda writes, or undefined when the file is missing or is not zyda's. */
function recordedName(path: string, mark: 'format_version' | 'created_at'): string | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    return typeof value.name === 'string' && mark in value ? value.name : undefined;
  } catch {
    return undefined;
  }
}

const LISTED = 5;
const COUNTED = 10_000;

/** Paths below `dir` (files, links, empty folders), in sorted order, up to COUNTED of them; zyda's leftovers skipped. */
function foreignEntries(dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string, rel: string, top: boolean): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(at, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    } catch {
      // A folder zyda cannot list is not one it made.
      found.push(rel ? `${rel}/` : '(a directory zyda cannot list)');
      return;
    }
    if (entries.length === 0 && !top) found.push(`${rel}/`);
    for (const e of entries) {
      if (found.length >= COUNTED) return;
      if (top && isFirstRunLeftover(e)) continue;
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(at, e.name), path, false);
      else found.push(path);
    }
  };
  walk(dir, '', true);
  return found;
}

/** Why `dir` is not this dataset's, or undefined when it is. */
function foreignReason(dir: OutputDir): string | undefined {
  if (!existsSync(dir.path)) return undefined;
  if (!statSync(dir.path).isDirectory()) return `${dir.key} ${dir.path} is a file, not a directory; choose another ${dir.key}`;
  const stamped = recordedName(join(dir.path, OWNER_STAMP), 'created_at');
  const made = stamped ?? recordedName(manifestPath(dir.path), 'format_version');
  if (made === dir.name) return undefined;
  const entries = foreignEntries(dir.path);
  if (made === undefined && entries.length === 0) return undefined;
  const count = entries.length >= COUNTED ? `${COUNTED} or more` : String(entries.length);
  const listed = entries.length === 0 ? '' : `${count} ${entries.length === 1 ? 'entry' : 'entries'}${made === undefined ? ' that zyda did not write' : ''}: ${entries.slice(0, LISTED).join(', ')}${entries.length > LISTED ? ', …' : ''}`;
  const whose = made === undefined ? listed : `dataset "${made}" (its ${stamped ? OWNER_STAMP : 'manifest.json'} says so), not "${dir.name}"${listed ? `, and ${listed}` : ''}`;
  return (
    `${dir.key} ${dir.path} holds ${whose}; zyda writes only into an empty directory or one it made for this dataset; ` +
    `choose another ${dir.key}, or pass --overwrite-foreign-output (overwrite_foreign_output: true) to write there anyway (zyda deletes only files it wrote)`
  );
}

/**
 * Refuses, before any work, a config whose paths overlap, or whose output (or keep_rejected directory) holds files
 * another program or another dataset put there: a run replaces what it finds under zyda's file names.
 */
export function checkOutputs(cfg: PipelineConfig): void {
  checkPathOverlap(cfg);
  if (cfg.overwrite_foreign_output) return;
  for (const dir of outputDirs(cfg)) {
    const reason = foreignReason(dir);
    if (reason) throw new ConfigError(reason);
  }
}

/**
 * Checks the outputs, then stamps each as this dataset's before anything else is written into it (the lock, the
 * default workdir), so a run that dies at any point leaves a directory its rerun recognises.
 */
export function claimOutputs(cfg: PipelineConfig): void {
  checkOutputs(cfg);
  checkWritable(cfg);
  for (const dir of outputDirs(cfg)) {
    if (recordedName(join(dir.path, OWNER_STAMP), 'created_at') === dir.name) continue;
    mkdirSync(dir.path, { recursive: true });
    writeJsonAtomic(join(dir.path, OWNER_STAMP), { name: dir.name, created_at: new Date().toISOString() } satisfies OwnerStamp);
  }
}
