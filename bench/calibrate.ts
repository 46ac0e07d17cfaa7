import { cpuSnapshot, otherCores } from './contention.js';
import { median, runChild } from './measure.js';

/** About a second per loop on a 2020s core. */
const ITERATIONS = 1e9;

export interface Calibration {
  /** Throughput of two spin loops at once over one alone: 2.0 on two free cores, ~1 on one shared core. */
  ratio: number;
  runs: { alone_s: number; together_s: [number, number]; other_cores: number | null }[];
}

/**
 * The ceiling for any 1→2 worker speed-up on this machine. A VM's two vCPUs may not get two cores of
 * host time; if two independent processes cannot run at 2×, the pipeline cannot either, whatever zyda does.
 */
export async function calibrate(rounds: number, log: (s: string) => void): Promise<Calibration> {
  const runs: Calibration['runs'] = [];
  for (let i = 0; i < rounds; i++) {
    const before = cpuSnapshot();
    const alone = await spin();
    const together = (await Promise.all([spin(), spin()])) as [number, number];
    const other = otherCores(before, cpuSnapshot());
    runs.push({ alone_s: alone, together_s: together, other_cores: other });
    log(`cpu calibration round ${i + 1}/${rounds}: one loop ${alone.toFixed(2)} s, two at once ${together.map((s) => s.toFixed(2)).join(' s, ')} s` + (other ? `, other processes ${other.toFixed(2)} cores` : ''));
  }
  // Two loops of work done in the time the slower one took, against one loop in its time.
  return { ratio: median(runs.map((r) => (2 * r.alone_s) / Math.max(...r.together_s))), runs };
}

async function spin(): Promise<number> {
  return (await runChild(['spin', String(ITERATIONS)])).seconds;
}
