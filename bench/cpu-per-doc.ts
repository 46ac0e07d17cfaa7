// CPU per 1,000 docs per step, from a manifest's timings: the figure that says whether a step's cost grows with the
// worker count, which wall time on a shared 2-core machine cannot.
import type { Check } from './cases.js';

/**
 * `cpu_s_per_kdoc_<step>` (the process's CPU over the step) and `task_cpu_s_per_kdoc_<step>` (its tasks' own
 * threads) for every step in `timings`; a reduce step's stage position is dropped from its name.
 */
export function cpuPerKdoc(timings: Record<string, number>, docs: number): Record<string, number> {
  const extra: Record<string, number> = {};
  for (const [key, s] of Object.entries(timings)) {
    const perKdoc = s / (docs / 1000);
    const step = (suffix: string) => key.slice(0, -suffix.length).replace(/^\d+-/, '');
    if (key.endsWith('_task_cpu')) extra[`task_cpu_s_per_kdoc_${step('_task_cpu')}`] = perKdoc;
    else if (key.endsWith('_cpu')) extra[`cpu_s_per_kdoc_${step('_cpu')}`] = perKdoc;
  }
  return extra;
}

/** Flat is the aim: a step's task CPU per doc at 2 workers within 5% of 1 worker's; the process's is shown beside it. */
export function cpuPerDocChecks(label: string, one: string, two: string, steps: string[]): Check[] {
  return steps.flatMap((step): Check[] => [
    { id: `${one}-task-cpu-${step}`, label: `${label}: task CPU/doc 2w / 1w, ${step}`, num: two, den: one, metric: 'seconds', key: `task_cpu_s_per_kdoc_${step}`, target: { op: '<=', value: 1.05 } },
    { id: `${one}-cpu-${step}`, label: `${label}: process CPU/doc 2w / 1w, ${step}`, num: two, den: one, metric: 'seconds', key: `cpu_s_per_kdoc_${step}` },
  ]);
}
