import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { loadConfigFile } from '../stages/config.js';
import { manifestPath, readManifest } from '../stages/manifest.js';
import { planRun } from '../stages/pipeline.js';
import { runIdentity, stepsOf, taskState, type TaskAttempt } from '../stages/steps.js';
import { table } from './table.js';

/** `zyda status CONFIG`: per step, tasks done, running, failed and pending, from the workdir's markers. */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show, per step, how many tasks are done, running, failed and pending, and each failure')
    .argument('<config>', 'pipeline YAML')
    .action(async (configPath: string) => {
      const cfg = loadConfigFile(configPath);
      const plan = await planRun(cfg);
      const steps = stepsOf(plan);
      const rows: (string | number)[][] = [];
      const failures: string[] = [];
      for (const step of steps) {
        const count = { done: 0, running: 0, failed: 0, pending: 0 };
        for (let i = 0; i < step.tasks; i++) {
          const { state, attempt } = taskState(plan, steps, step, i);
          count[state]++;
          if (state === 'failed') failures.push(describe(step.id, i, attempt!));
        }
        rows.push([step.id, step.tasks, count.done, count.running, count.failed, count.pending]);
      }
      process.stdout.write(table(['step', 'tasks', 'done', 'running', 'failed', 'pending'], rows) + '\n');
      for (const f of failures) process.stdout.write(f + '\n');
      const finished = existsSync(manifestPath(cfg.output)) && readManifest(cfg.output).run_identity === runIdentity(plan) && runIdentity(plan) !== undefined;
      process.stdout.write(finished ? `output ${cfg.output} is up to date\n` : `output ${cfg.output} is not committed for this plan yet\n`);
    });
}

function describe(step: string, task: number, a: TaskAttempt): string {
  return `failed: ${step} task ${task} (pid ${a.pid} on ${a.host}, ${a.started_at}): ${(a.error ?? '').split('\n')[0]}`;
}
