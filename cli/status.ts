import type { Command } from 'commander';

/** `zyda status CONFIG|OUTPUT`: per step, tasks done, running, failed and pending, from the workdir's markers. */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show whether the output is committed and up to date, and per step how many tasks are done, running, failed and pending')
    .argument('<config-or-output>', 'pipeline YAML, or an output directory (its .zyda/plan.json names the config it was run with)')
    .action(async (target: string) => (await import('./status-action.js')).statusCommand(target));
}
