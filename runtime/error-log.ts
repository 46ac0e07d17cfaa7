import { join } from 'node:path';
import { removeOwnFiles } from './own-files.js';

/** Each first-pass task appends its input problems to a log of its own under <workdir>/logs/errors/. */
const ERROR_LOG_NAME = /^task-\d{6,}\.jsonl$/;

const errorLogDir = (workdir: string) => join(workdir, 'logs', 'errors');

export function errorLogPath(workdir: string, task: number): string {
  return join(errorLogDir(workdir), `task-${String(task).padStart(6, '0')}.jsonl`);
}

/** A run starts with no problems logged; only zyda's task logs go, since a workdir may be shared with other files. */
export function clearErrorLogs(workdir: string): void {
  removeOwnFiles(errorLogDir(workdir), ERROR_LOG_NAME);
}
