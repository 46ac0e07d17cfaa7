import type { Command } from 'commander';
import { join } from 'node:path';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write an output\'s report: one self-contained HTML page with its funnel, histograms, languages, duplicates and examples')
    .argument('<output>', 'a zyda output directory')
    .option('--out <file>', 'where to write the page (default: <output>/report.html)')
    .action(async (dir: string, opts: { out?: string }) => {
      const [{ readManifest }, { REPORT_HTML, writeReport }] = await Promise.all([import('../runtime/manifest.js'), import('../runtime/report/write.js')]);
      const file = opts.out ?? join(dir, REPORT_HTML);
      await writeReport(dir, file, readManifest(dir));
      process.stdout.write(`${file}\n`);
    });
}
