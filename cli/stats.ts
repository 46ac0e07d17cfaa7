import type { Command } from 'commander';
import { table } from '../core/table.js';
import { readManifest, type Manifest } from '../runtime/manifest.js';
import { formatSummary } from './summary.js';

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('print docs, tokens and bytes per source, the drop, duplicate and error reasons, dedup\'s report, and an incremental output\'s runs, from an output\'s manifest')
    .argument('<output>', 'a zyda output directory')
    .option('--json', 'print the manifest\'s figures as JSON')
    .action((dir: string, opts: { json?: boolean }) => {
      const m = readManifest(dir);
      if (opts.json) {
        const { totals, sources, accounting, reports, history } = m;
        process.stdout.write(JSON.stringify({ totals, sources, accounting, reports, history }, null, 2) + '\n');
      } else {
        process.stdout.write(formatSummary(m) + '\n');
        if (m.history?.length) process.stdout.write('\n' + formatHistory(m) + '\n');
      }
    });
}

/** One row per run of an incremental output: what each run (each night, for a nightly job) added. */
function formatHistory(m: Manifest): string {
  const rows = (m.history ?? []).map((h) => [h.run, h.created_at.slice(0, 19).replace('T', ' '), h.files_added, h.docs_read, h.docs_added, h.tokens_added]);
  return table(['run', 'date (UTC)', 'files added', 'docs read', 'docs added', 'tokens added'], rows);
}
