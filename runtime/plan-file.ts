import { readFileSync } from 'node:fs';
import type { PipelineConfig } from '../core/config-schema.js';
import type { Task, Warning } from '../core/task.js';
import type { PluginRecord } from './plugins.js';
import type { Segment } from './segments.js';

/** Everything a worker (or a cluster task) needs to run its share, written once to <workdir>/plan.json. */
export interface PlanFile {
  zyda_version: string;
  config_sha256: string;
  config: PipelineConfig;
  tasks: Task[];
  segments: Segment[];
  warnings: Warning[];
  /** The size input files were cut into: task_bytes, or what `auto` chose for this input. */
  task_bytes: number;
  /** Files larger than a task that stay one task, and why (printed by the plan and the run's log). */
  notes: string[];
  /** The config's plugins with the hash of each file, which every task's identity includes; absent: none. */
  plugins?: PluginRecord[];
}

const cache = new Map<string, PlanFile>();

export function loadPlanFile(path: string): PlanFile {
  let p = cache.get(path);
  if (!p) {
    p = JSON.parse(readFileSync(path, 'utf8')) as PlanFile;
    cache.set(path, p);
  }
  return p;
}
