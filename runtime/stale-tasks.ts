import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanFile } from './plan-file.js';
import { taskKey } from './task-key.js';

/** A file a first-pass task leaves in the workdir: its marker, its parts, a barrier's per-task files. */
const KEYED = /^task-([0-9a-f]{16})\./;

/**
 * Removes the files that first-pass tasks of earlier plans left in the workdir and that no task of this plan
 * names: they are named by their task's key, so a changed or removed input file would otherwise leave its old
 * task's files there for good. Only zyda's own task-<key> names go.
 */
export function removeStaleTaskFiles(plan: PlanFile): void {
  const keys = new Set(plan.tasks.map(taskKey));
  for (const top of ['steps', 'parts', 'stages']) removeIn(join(plan.config.workdir, top), keys);
}

function removeIn(dir: string, keys: Set<string>): void {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) removeIn(path, keys);
    else {
      const key = KEYED.exec(e.name)?.[1];
      if (key !== undefined && !keys.has(key)) rmSync(path, { force: true });
    }
  }
}
