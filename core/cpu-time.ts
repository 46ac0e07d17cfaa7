import { readFileSync } from 'node:fs';

/**
 * CPU seconds of the calling thread alone. process.cpuUsage() counts every thread of the process, so in a
 * worker thread beside others it would charge a task with its neighbours' work; Linux keeps each thread's own
 * time in /proc/thread-self (read by a synchronous call, which runs on the calling thread): schedstat in
 * nanoseconds, else stat in clock ticks. Elsewhere the process's time is the best there is.
 */
export function threadCpuSeconds(): number {
  const ns = firstNumber('/proc/thread-self/schedstat');
  if (ns !== undefined) return ns / 1e9;
  return procStatSeconds('/proc/thread-self/stat', 2) ?? processCpuUsageSeconds();
}

/**
 * CPU seconds of the whole process, every thread (the worker threads, V8's garbage collector and compiler
 * helpers, libuv's pool) plus the child processes it has reaped (the zstd CLI that decompresses inputs).
 */
export function processCpuSeconds(): number {
  return procStatSeconds('/proc/self/stat', 4) ?? processCpuUsageSeconds();
}

const TICKS_PER_SECOND = 100;

/** The sum of the first `fields` times (utime, stime, cutime, cstime) of a /proc stat file, in seconds. */
function procStatSeconds(path: string, fields: number): number | undefined {
  const text = readIfThere(path);
  if (text === undefined) return undefined;
  // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14.
  const after = text.slice(text.lastIndexOf(')') + 2).split(' ');
  let ticks = 0;
  for (let i = 0; i < fields; i++) ticks += Number(after[11 + i]);
  return Number.isFinite(ticks) ? ticks / TICKS_PER_SECOND : undefined;
}

function firstNumber(path: string): number | undefined {
  const text = readIfThere(path);
  const n = text === undefined ? NaN : Number(text.split(' ')[0]);
  return Number.isFinite(n) ? n : undefined;
}

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function processCpuUsageSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
