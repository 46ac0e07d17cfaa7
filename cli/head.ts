import type { Command } from 'commander';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { ConfigError } from '../core/errors.js';
import { intValue } from '../core/flags.js';
import { flagParser } from './flags.js';
import { readManifest } from '../runtime/manifest.js';
import { readCompressors } from '../io/parquet-codecs.js';

export function registerHead(program: Command): void {
  program
    .command('head')
    .description('print the first documents of an output')
    .argument('<output>', 'a zyda output directory')
    .option('-n, --lines <n>', 'how many documents', flagParser(intValue), 5)
    .option('--source <name>', 'only this source')
    .option('--json', 'one JSON object per line, with the full text')
    .option('--chars <n>', 'text shown per document (without --json)', flagParser(intValue), 400)
    .action(async (dir: string, opts: { lines: number; source?: string; json?: boolean; chars: number }) => {
      const m = readManifest(dir);
      if (opts.source && !m.sources[opts.source]) throw new ConfigError(`no source ${opts.source} in ${dir} (sources: ${Object.keys(m.sources).join(', ')})`);
      let left = opts.lines;
      for (const [name, s] of Object.entries(m.sources)) {
        if (opts.source && name !== opts.source) continue;
        for (const shard of s.shards) {
          if (left <= 0) return;
          const file = await asyncBufferFromFile(join(dir, shard.path));
          const metadata = await parquetMetadataAsync(file);
          const rows = await parquetReadObjects({ file, metadata, rowStart: 0, rowEnd: Math.min(left, shard.rows), compressors: readCompressors });
          for (const r of rows) {
            left--;
            if (opts.json) {
              process.stdout.write(JSON.stringify({ ...r, metadata: JSON.parse(r.metadata as string) as unknown }) + '\n');
            } else {
              const text = String(r.text);
              process.stdout.write(`── ${r.id}  (${r.source}, ${r.token_count} tokens, ${text.length} chars)\n${text.slice(0, opts.chars)}${text.length > opts.chars ? ' …' : ''}\n\n`);
            }
          }
        }
      }
    });
}
