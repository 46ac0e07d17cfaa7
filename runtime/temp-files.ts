import { existsSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TEMP_NAME } from '../core/atomic.js';
import { staysInside } from './generations.js';
import { priorManifest } from './manifest.js';

/** Whether `file` is zyda's temporary name for `finalName` (a name, or a pattern of names). */
export function isOwnTempName(file: string, finalName: string | RegExp): boolean {
  const m = TEMP_NAME.exec(file);
  if (!m) return false;
  return typeof finalName === 'string' ? m[1] === finalName : finalName.test(m[1]);
}

/** The temporary names the shard writer and the commit use in the output root and each source's folder. */
const ROOT_FILES = /^(manifest\.json|\.zyda-commit\.json|\.zyda-output\.json)$/;
const SHARD_FILES = /^shard-\d{5}\.parquet$/;

/**
 * Removes what a killed run left under zyda's temporary names, only where zyda writes them and only for
 * names it writes there: the root's manifest and stamps, the shard writer's files in data/<source>/, and the
 * files the manifest publishes (dedup clusters) beside their final names. Anything else is not zyda's.
 */
export function removeOwnTempFiles(outDir: string, sources: string[]): void {
  const places: [string, string | RegExp][] = [[outDir, ROOT_FILES], ...sources.map((s): [string, RegExp] => [join(outDir, 'data', s), SHARD_FILES])];
  for (const rel of Object.values(priorManifest(outDir)?.published ?? {})) if (staysInside(rel)) places.push([join(outDir, dirname(rel)), basename(rel)]);
  for (const [dir, names] of places) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (isOwnTempName(f, names)) rmSync(join(dir, f), { recursive: true, force: true });
  }
}
