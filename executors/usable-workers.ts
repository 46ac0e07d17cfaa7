import { availableParallelism } from 'node:os';

/** More threads than this per core only add memory and start-up time: each thread loads zyda on its own. */
const THREADS_PER_CORE = 4;

/** The worker count a run uses: `workers`, clamped to THREADS_PER_CORE × the core count with a warning. */
export function usableWorkers(workers: number, warn: (message: string) => void = () => {}): number {
  const cap = availableParallelism() * THREADS_PER_CORE;
  if (workers <= cap) return workers;
  warn(`workers: ${workers} is more than ${THREADS_PER_CORE} × the ${availableParallelism()} cores here; using ${cap}`);
  return cap;
}
