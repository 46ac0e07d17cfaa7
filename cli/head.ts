import type { Command } from 'commander';
import { intValue } from '../core/flags.js';
import { flagParser } from './flags.js';
import type { HeadOptions } from './head-docs.js';

export function registerHead(program: Command): void {
  program
    .command('head')
    .description('print the first documents of an output, or a random sample, or the rejected docs of one drop reason')
    .argument('<output>', 'a zyda output directory')
    .option('-n, --lines <n>', 'how many documents', flagParser(intValue), 5)
    .option('--source <name>', 'only this source')
    .option('--reason <reason>', 'only rejected docs dropped for this reason or under it (filter/zyda/too_short, filter/zyda); reads the keep_rejected output')
    .option('--sample <n>', 'n documents at random instead of the first ones', flagParser(intValue))
    .option('--seed <n>', 'the seed of --sample: the same seed picks the same documents', flagParser(intValue), 0)
    .option('--json', 'one JSON object per line, with the full text')
    .option('--chars <n>', 'text shown per document (without --json)', flagParser(intValue), 400)
    .action(async (dir: string, opts: HeadOptions) => (await import('./head-docs.js')).printHead(dir, opts));
}
