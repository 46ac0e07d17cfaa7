import { readFileSync } from 'node:fs';

/** USER_HZ: /proc reports CPU time in these ticks; 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

export interface CpuSnapshot {
  at: number;
  /** Non-idle ticks of the whole machine. */
  busy: number;
  /** Ticks of this process and its waited-for children (each case's node, and the zstd processes under it). */
  ours: number;
}

/**
 * On a shared 2-core machine another job can halve a figure. The machine's busy time minus our own
 * process tree's is the CPU others used meanwhile; a run that overlapped them can then be recognised.
 * Linux only; elsewhere null.
 */
export function cpuSnapshot(): CpuSnapshot | null {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal…: idle, iowait and steal are not work done in here.
    const busy = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6];
    const self = readFileSync('/proc/self/stat', 'utf8');
    // Fields after "(comm) ": state is field 3, so utime (14), stime, cutime, cstime (17) are [11..14].
    const f = self.slice(self.lastIndexOf(')') + 2).split(' ').map(Number);
    return { at: performance.now(), busy, ours: f[11] + f[12] + f[13] + f[14] };
  } catch {
    return null;
  }
}

/** Average number of cores other processes kept busy between two snapshots. */
export function otherCores(a: CpuSnapshot | null, b: CpuSnapshot | null): number | null {
  if (!a || !b || b.at <= a.at) return null;
  const others = Math.max(0, b.busy - a.busy - (b.ours - a.ours)) / TICKS_PER_SECOND;
  return Math.round((others / ((b.at - a.at) / 1000)) * 100) / 100;
}
