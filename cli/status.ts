import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { manifestPath, readManifest } from '../runtime/manifest.js';
import type { TaskAttempt } from '../runtime/steps.js';
import { table } from '../core/table.js';
import type { PipelineConfig } from '../core/config-schema.js';

/** `zyda status CONFIG`: per step, tasks done, running, failed and pending, from the workdir's markers. */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show, per step, how many tasks are done, running, failed and pending, and each failure')
    .argument('<config>', 'pipeline YAML')
    .action(async (configPath: string) => {
      const [{ loadConfigFile }, { existingPlan, planRun }, { runIdentity, stepsOf, taskState }] = await Promise.all([
        import('../runtime/config.js'),
        import('../runtime/pipeline.js'),
        import('../runtime/steps.js'),
      ]);
      const cfg = await loadConfigFile(configPath);
      // The plan the workdir's tasks were run from, when it is of this config.
      const plan = existingPlan(cfg) ?? (await planRun(cfg));
      const steps = stepsOf(plan);
      const rows: (string | number)[][] = [];
      const failures: string[] = [];
      const slurm = await slurmView(cfg);
      const identity = runIdentity(plan);
      // A committed output of this plan: every task is done, though their intermediate parts are gone.
      const finished = identity !== undefined && existsSync(manifestPath(cfg.output)) && readManifest(cfg.output).run_identity === identity;
      for (const step of steps) {
        const count = { done: 0, running: 0, failed: 0, pending: 0 };
        for (let i = 0; i < step.tasks; i++) {
          let { state, attempt } = finished ? { state: 'done' as const, attempt: undefined } : taskState(plan, steps, step, i);
          const job = slurm.get(`${step.id}/${i}`);
          // What Slurm knows wins for tasks not done: a job killed for time or memory never wrote its own failure.
          if (state !== 'done' && job && SLURM_RUNNING.has(job.state)) state = 'running';
          if (state !== 'done' && job && SLURM_FAILED.has(job.state)) {
            failures.push(`failed: ${step.id} task ${i}: Slurm job ${job.id} ${job.state}; log ${job.log}`);
            state = 'failed';
          } else if (state === 'failed') failures.push(describe(step.id, i, attempt!));
          count[state]++;
        }
        rows.push([step.id, step.tasks, count.done, count.running, count.failed, count.pending]);
      }
      process.stdout.write(table(['step', 'tasks', 'done', 'running', 'failed', 'pending'], rows) + '\n');
      for (const f of failures) process.stdout.write(f + '\n');
      process.stdout.write(finished ? `output ${cfg.output} is up to date\n` : `output ${cfg.output} is not committed for this plan yet\n`);
    });
}

const SLURM_RUNNING = new Set(['PENDING', 'RUNNING', 'CONFIGURING', 'COMPLETING', 'REQUEUED', 'SUSPENDED']);
const SLURM_FAILED = new Set(['FAILED', 'TIMEOUT', 'CANCELLED', 'OUT_OF_MEMORY', 'NODE_FAIL', 'BOOT_FAIL', 'DEADLINE', 'PREEMPTED']);

/** The last Slurm submission's array tasks, by "step/task", with their squeue state and log path. */
async function slurmView(cfg: PipelineConfig): Promise<Map<string, { id: string; state: string; log: string }>> {
  const { readSlurmJobs, squeueStates } = await import('../executors/slurm.js');
  const view = new Map<string, { id: string; state: string; log: string }>();
  const jobs = readSlurmJobs(cfg);
  if (!jobs) return view;
  const states = squeueStates(jobs.jobs.map((j) => j.job));
  for (const j of jobs.jobs) {
    for (const t of j.tasks) {
      const id = j.step === 'commit' ? j.job : `${j.job}_${t}`;
      const state = states.get(id);
      if (state) view.set(`${j.step}/${t}`, { id, state, log: j.log.replace('%a', String(t)) });
    }
  }
  return view;
}

function describe(step: string, task: number, a: TaskAttempt): string {
  return `failed: ${step} task ${task} (pid ${a.pid} on ${a.host}, ${a.started_at}): ${(a.error ?? '').split('\n')[0]}`;
}
