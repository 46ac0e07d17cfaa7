import type { Command } from 'commander';
import { listValue, repeatValue } from '../core/flags.js';
import { addFlags, applyFlags, flagParser, SOURCE_FLAGS } from './flags.js';

/** The input flags that describe raw files (a zyda output needs none of them). */
const INPUT_FLAGS = SOURCE_FLAGS.filter((f) => ['source.text_field', 'source.id_field', 'source.format'].includes(f.key));

export function registerExplain(program: Command): void {
  const cmd = program
    .command('explain')
    .description("print a document's filter features and every rule's verdict, with the thresholds its run used")
    .argument('<output-or-input>', 'a zyda output (or its keep_rejected output), or input files')
    .requiredOption('--id <id>', 'the document id')
    .option('--config <pipeline.yaml>', "use this pipeline's thresholds (default: those the output's manifest records, else each filter's defaults)")
    .option('--filters <list>', 'filters to explain, langid and classify/<name> among them (default: those the run used, else zyda)', flagParser(listValue))
    .option('--plugin <spec>', 'a plugin module whose filters the run used (repeatable)', flagParser(repeatValue));
  addFlags(cmd, INPUT_FLAGS).action(async (path: string, opts: Record<string, unknown>) => {
    const source: Record<string, unknown> = {};
    applyFlags(source, INPUT_FLAGS, cmd);
    await (await import('./explain-action.js')).explainCommand(path, opts, source);
  });
}
