import { readFileSync } from 'node:fs';

/**
 * What tells one process apart from a later one with the same pid: the machine's boot id and the process's
 * start time. Both come from Linux's /proc; elsewhere they are undefined and only the pid is compared.
 */
export function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The process's start time in clock ticks since boot: field 22 of /proc/<pid>/stat. */
export function processStartTime(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Field 2 is the command name in parentheses and may itself hold spaces or parentheses; fields 3.. follow the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = Number(fields[22 - 3]);
  return Number.isInteger(start) ? start : undefined;
}
