import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import type { ColumnValue, Doc } from '../core/types.js';
import { readCompressors } from '../io/parquet-codecs.js';
import { BASE_COLUMNS } from './columns.js';
import { readManifest } from './manifest.js';

/** Any column beyond the five every shard has goes into `doc.columns`. */
const BASE = new Set(BASE_COLUMNS);

/**
 * Every document of a finished output, in manifest order (source by source, shard by shard, row by row),
 * one row group in memory at a time.
 */
export async function* readOutput(dir: string): AsyncGenerator<Doc> {
  const manifest = readManifest(dir);
  for (const source of Object.values(manifest.sources)) {
    for (const shard of source.shards) {
      const file = await asyncBufferFromFile(join(dir, shard.path));
      const metadata = await parquetMetadataAsync(file);
      let rowStart = 0;
      for (const group of metadata.row_groups) {
        const rowEnd = rowStart + Number(group.num_rows);
        const rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd, compressors: readCompressors });
        for (const row of rows) yield docOf(row);
        rowStart = rowEnd;
      }
    }
  }
}

function docOf(row: Record<string, unknown>): Doc {
  const doc: Doc = { id: String(row.id), text: String(row.text), source: String(row.source), meta: JSON.parse(String(row.metadata)) as Record<string, unknown>, tokenCount: Number(row.token_count) };
  for (const [name, value] of Object.entries(row)) {
    if (BASE.has(name) || value === null || value === undefined) continue;
    (doc.columns ??= {})[name] = (typeof value === 'bigint' ? Number(value) : value) as ColumnValue;
  }
  return doc;
}
