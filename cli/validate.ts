import type { Command } from 'commander';
import { loadConfigFile } from '../runtime/config.js';
import { planRun } from '../runtime/pipeline.js';
import { checkWritable } from '../runtime/writable.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a pipeline config: schema, stage options, tokenizer, that every source matches files, and that the output and workdir are writable')
    .argument('<config>', 'pipeline YAML')
    .action(async (path: string) => {
      const cfg = await loadConfigFile(path);
      const plan = await planRun(cfg);
      checkWritable(cfg);
      for (const w of plan.warnings) process.stderr.write(`warning: ${w.message}\n`);
      process.stdout.write(`${path}: ok — ${cfg.sources.length} sources, ${plan.tasks.length} tasks, ${cfg.stages.length} stages (${cfg.stages.map((s) => s.kind).join(' → ')})\n`);
    });
}
