import { readdirSync, readFileSync, rmSync, type Dirent } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * What a stopped run of this process leaves under `dirs`: temp files under its own pid's names (core/atomic.ts
 * tempPathFor, the shard writer's .tmp-<pid>-… shards) and the task-N.running markers of tasks it was running.
 * Only this process's: its locks keep other runs out of these folders, but a file with another pid is not
 * provably ours.
 */
export function removeOwnLeftovers(dirs: (string | undefined)[]): void {
  const seen = new Set<string>();
  const tempPrefix = `.tmp-${process.pid}-`;
  const walk = (dir: string) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.name.startsWith(tempPrefix)) rmSync(path, { recursive: true, force: true });
      else if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.running') && runByThisProcess(path)) rmSync(path, { force: true });
    }
  };
  for (const d of dirs) if (d) walk(d);
}

function runByThisProcess(marker: string): boolean {
  try {
    const attempt = JSON.parse(readFileSync(marker, 'utf8')) as { pid?: number; host?: string };
    return attempt.pid === process.pid && attempt.host === hostname();
  } catch {
    return false;
  }
}
