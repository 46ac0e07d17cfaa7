import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TEMP_NAME } from '../core/atomic.js';

/**
 * Removes the files in `dir` whose names zyda's own naming scheme produces (`own`), and the temporary files
 * made on the way to such a name. Anything else in `dir` belongs to someone else and stays.
 */
export function removeOwnFiles(dir: string, own: RegExp): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) {
    const name = TEMP_NAME.exec(f)?.[1] ?? f;
    if (own.test(name)) rmSync(join(dir, f), { force: true });
  }
}
