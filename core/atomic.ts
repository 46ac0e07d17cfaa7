import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

/** What tempPathFor makes of a name: `.tmp-<pid>-<tag>-<name>` (the shard writer's tag is w<task>). */
export const TEMP_NAME = /^\.tmp-\d+-[a-z0-9]*-(.+)$/;

/** A temp name beside the final one: same directory, so the rename is atomic; dot-prefixed, so it never looks finished. */
export function tempPathFor(finalPath: string): string {
  return join(dirname(finalPath), `.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}-${basename(finalPath)}`);
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}
