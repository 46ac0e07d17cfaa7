import { cpuSnapshot, otherCores } from './contention.js';
import { median, runChild } from './measure.js';

/** About a second per loop on a 2020s core. */
const ITERATIONS = 1e9;
/** Docs of the token-count loop: about 10 MB of text, a fraction of a second of CPU. */
const COUNT_DOCS = 10_000;

export interface Calibration {
  /** Throughput of two spin loops at once over one alone: 2.0 on two free cores, ~1 on one shared core. */
  ratio: number;
  /**
   * CPU seconds of a token-count loop with another running at once, over the same loop alone: 1.0 where two
   * cores do not slow each other. The floor for any step's CPU per doc at 2 workers over 1.
   */
  cpu_ratio: number;
  runs: { alone_s: number; together_s: [number, number]; count_cpu_alone_s: number; count_cpu_together_s: [number, number]; other_cores: number | null }[];
}

/**
 * The ceiling for any 1→2 worker speed-up on this machine. A VM's two vCPUs may not get two cores of
 * host time; if two independent processes cannot run at 2×, the pipeline cannot either, whatever zyda does.
 */
export async function calibrate(rounds: number, docsDir: string, log: (s: string) => void): Promise<Calibration> {
  const runs: Calibration['runs'] = [];
  for (let i = 0; i < rounds; i++) {
    const before = cpuSnapshot();
    const alone = await spin();
    const together = (await Promise.all([spin(), spin()])) as [number, number];
    const countAlone = await count(docsDir);
    const countTogether = (await Promise.all([count(docsDir), count(docsDir)])) as [number, number];
    const other = otherCores(before, cpuSnapshot());
    runs.push({ alone_s: alone, together_s: together, count_cpu_alone_s: countAlone, count_cpu_together_s: countTogether, other_cores: other });
    const s = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' s, ') + ' s';
    log(`cpu calibration round ${i + 1}/${rounds}: one loop ${s([alone])}, two at once ${s(together)}; token count CPU alone ${s([countAlone])}, two at once ${s(countTogether)}` + (other ? `, other processes ${other.toFixed(2)} cores` : ''));
  }
  // Two loops of work done in the time the slower one took, against one loop in its time.
  const ratio = median(runs.map((r) => (2 * r.alone_s) / Math.max(...r.together_s)));
  const cpuRatio = median(runs.map((r) => (r.count_cpu_together_s[0] + r.count_cpu_together_s[1]) / 2 / r.count_cpu_alone_s));
  return { ratio, cpu_ratio: cpuRatio, runs };
}

async function count(docsDir: string): Promise<number> {
  return (await runChild(['count', docsDir, String(COUNT_DOCS)])).seconds;
}

async function spin(): Promise<number> {
  return (await runChild(['spin', String(ITERATIONS)])).seconds;
}
