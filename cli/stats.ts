import type { Command } from 'commander';
import { readManifest } from '../runtime/manifest.js';
import { formatSummary } from './summary.js';

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('print docs, tokens and bytes per source, the drop, duplicate and error reasons, and dedup\'s report, from an output\'s manifest')
    .argument('<output>', 'a zyda output directory')
    .option('--json', 'print the manifest\'s figures as JSON')
    .action((dir: string, opts: { json?: boolean }) => {
      const m = readManifest(dir);
      if (opts.json) {
        const { totals, sources, accounting, reports } = m;
        process.stdout.write(JSON.stringify({ totals, sources, accounting, reports }, null, 2) + '\n');
      } else {
        process.stdout.write(formatSummary(m) + '\n');
      }
    });
}
