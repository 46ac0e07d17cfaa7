import type { Command } from 'commander';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a pipeline config: schema, stage options, tokenizer, that every source matches files, and that the output and workdir are writable')
    .argument('<config>', 'pipeline YAML')
    .action(async (path: string) => {
      const [{ loadConfigFile }, { planRun }, { checkWritable }] = await Promise.all([import('../runtime/config.js'), import('../runtime/pipeline.js'), import('../runtime/writable.js')]);
      const cfg = await loadConfigFile(path);
      const plan = await planRun(cfg);
      checkWritable(cfg);
      for (const w of plan.warnings) process.stderr.write(`warning: ${w.message}\n`);
      process.stdout.write(`${path}: ok — ${cfg.sources.length} sources, ${plan.tasks.length} tasks, ${cfg.stages.length} stages (${cfg.stages.map((s) => s.kind).join(' → ')})\n`);
    });
}
