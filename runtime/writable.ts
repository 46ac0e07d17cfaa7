import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PipelineConfig } from '../core/config-schema.js';
import { ConfigError } from '../core/errors.js';

/**
 * Refuses, before any work, an output, keep_rejected or workdir this user cannot write: the directory itself when
 * it exists, else the nearest existing folder above it, where zyda would create it.
 */
export function checkWritable(cfg: PipelineConfig): void {
  const dirs: [string, string][] = [['output', cfg.output], ['workdir', cfg.workdir]];
  if (cfg.keep_rejected) dirs.push(['keep_rejected', cfg.keep_rejected]);
  for (const [key, path] of dirs) {
    const why = notWritable(path);
    if (why) throw new ConfigError(`${key} ${path}: ${why}; choose another ${key} or change the permissions`);
  }
}

function notWritable(path: string): string | undefined {
  let at = path;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  if (!statSync(at).isDirectory()) return at === path ? undefined : `${at} is a file, so no directory can be made below it`;
  try {
    accessSync(at, constants.W_OK | constants.X_OK);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EACCES';
    return at === path ? `not writable by this user (${code})` : `cannot be created: ${at} is not writable by this user (${code})`;
  }
}
