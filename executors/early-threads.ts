import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { Piscina } from 'piscina';
import { AUTO_MIN_TASK_BYTES } from '../runtime/task-size.js';
import { taskCodeOfStages, type TaskCode } from './task-code.js';
import { usableWorkers } from './usable-workers.js';

/**
 * Worker threads started as soon as a command has read its config, before it validates it and plans: each thread
 * loads zyda while the main thread loads the stage definitions and plans, instead of after. The run's pool takes
 * them over when its first step asks for as many (executors/pool.ts); threads nobody took are closed when the
 * command ends (closeEarlyThreads).
 *
 * They start only when the config's literal input paths already hold a task per worker: a small run (fewer tasks
 * than workers) would take fewer threads and leave these to be closed, their start-up spent for nothing.
 */
export interface EarlyThreads {
  pool: Piscina;
  threads: number;
}

/** What a config says before it is validated: the keys this reads, as written. */
export interface RawRunSettings {
  workers?: unknown;
  executor?: unknown;
  sources?: unknown;
  stages?: unknown;
}

let early: EarlyThreads | undefined;
let starting: Promise<void> | undefined;
const closing: Promise<void>[] = [];

/** Walking a directory for the estimate stops after this many entries: the estimate only has to reach the worker count. */
const MAX_ENTRIES = 10_000;

/**
 * Starts the threads a local run of `raw` will want, if its settings are plain enough to tell (a worker count or
 * `auto`, no other executor) and its literal input paths hold at least a task per worker. `baseDir`: where
 * relative paths resolve.
 */
export function startThreadsEarly(raw: RawRunSettings, baseDir: string): void {
  if (early || starting) return;
  if (raw.executor !== undefined && raw.executor !== 'local') return;
  const asked = raw.workers === undefined || raw.workers === 'auto' ? availableParallelism() : raw.workers;
  if (typeof asked !== 'number' || !Number.isInteger(asked) || asked < 1) return;
  const threads = usableWorkers(asked);
  if (literalInputBytes(raw.sources, baseDir, threads * AUTO_MIN_TASK_BYTES) < threads * AUTO_MIN_TASK_BYTES) return;
  starting = import('./pool.js').then(({ startThreads }) => {
    early = { pool: startThreads(threads, taskCodeHint(raw.stages)), threads };
  }).catch(() => undefined);
}

/** The early threads, if there are `threads` of them; others are closed, and a later call gets none. */
export async function takeEarlyThreads(threads: number): Promise<EarlyThreads | undefined> {
  await starting;
  const taken = early;
  early = undefined;
  if (!taken || taken.threads === threads) return taken;
  closing.push(closeThreads(taken));
  return undefined;
}

/** Closes early threads no run took; before the process exits, since a thread must not end while it loads modules. */
export async function closeEarlyThreads(): Promise<void> {
  await starting;
  if (early) closing.push(closeThreads(early));
  early = undefined;
  await Promise.all(closing.splice(0));
}

async function closeThreads(t: EarlyThreads): Promise<void> {
  const { retireThreads } = await import('./pool.js');
  await retireThreads(t.pool, t.threads);
}

/**
 * The code the stages as written name, as the plan's would (executors/task-code.ts); a name that is no kind or
 * filter loads nothing. Input formats are left to the plan: only Parquet and Arrow have readers to load, and a
 * step waits for them in any case.
 */
function taskCodeHint(stages: unknown): TaskCode {
  const entries = (Array.isArray(stages) ? stages : []).filter((s): s is Record<string, unknown> => !!s && typeof s === 'object');
  return taskCodeOfStages(entries.flatMap((s) => Object.entries(s).map(([kind, options]) => ({ kind, options: options ?? {} }))), []);
}

/** The bytes of the files the sources name literally (no glob), read until `enough`. */
function literalInputBytes(sources: unknown, baseDir: string, enough: number): number {
  if (!Array.isArray(sources)) return 0;
  let bytes = 0;
  let entries = 0;
  const visit = (path: string): void => {
    if (bytes >= enough || entries++ > MAX_ENTRIES) return;
    let st;
    try {
      st = statSync(path);
    } catch {
      return;
    }
    if (st.isFile()) bytes += st.size;
    else if (st.isDirectory()) {
      let names: string[] = [];
      try {
        names = readdirSync(path);
      } catch {
        return;
      }
      for (const name of names) visit(join(path, name));
    }
  };
  for (const source of sources) {
    const paths = (source as { paths?: unknown } | null)?.paths;
    for (const p of typeof paths === 'string' ? [paths] : Array.isArray(paths) ? paths : []) {
      if (typeof p !== 'string' || /[*?[\]{}]/.test(p)) continue;
      visit(isAbsolute(p) ? p : resolve(baseDir, p));
    }
  }
  return bytes;
}
