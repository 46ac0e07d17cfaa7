import type { Command } from 'commander';
import { join } from 'node:path';
import { readManifest } from '../runtime/manifest.js';
import { REPORT_HTML, writeReport } from '../runtime/report/write.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write an output\'s report: one self-contained HTML page with its funnel, histograms, languages, duplicates and examples')
    .argument('<output>', 'a zyda output directory')
    .option('--out <file>', `where to write the page (default: <output>/${REPORT_HTML})`)
    .action(async (dir: string, opts: { out?: string }) => {
      const file = opts.out ?? join(dir, REPORT_HTML);
      await writeReport(dir, file, readManifest(dir));
      process.stdout.write(`${file}\n`);
    });
}
