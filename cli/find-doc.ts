import { join, resolve } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { configFromObject } from '../runtime/config.js';
import { readManifest } from '../runtime/manifest.js';
import { readCompressors } from '../io/parquet-codecs.js';
import { buildPlan, isZydaOutput } from '../runtime/plan.js';
import { readTask } from '../io/readers/index.js';
import type { Doc } from '../core/types.js';

/** A document found by id, with the columns only some outputs have (a rejected doc's reason). */
export interface FoundDoc {
  doc: Doc;
  where: string;
  reason?: string;
}

/** Looks a doc up by id in a zyda output (reading only the id column until it is found) or in raw inputs. */
export async function findDoc(path: string, id: string, source: Record<string, unknown>): Promise<FoundDoc | undefined> {
  const dir = resolve(path);
  if (isZydaOutput(dir)) return findInOutput(dir, id);
  const cfg = await configFromObject({ output: join(dir, '.zyda-explain'), sources: [{ name: 'input', ...source, paths: [path] }] });
  for (const task of (await buildPlan(cfg)).tasks) {
    for await (const batch of readTask(task, cfg.sources[0], cfg)) {
      const doc = batch.docs.find((d) => d.id === id);
      if (doc) return { doc, where: task.file };
    }
  }
  return undefined;
}

async function findInOutput(dir: string, id: string): Promise<FoundDoc | undefined> {
  for (const s of Object.values(readManifest(dir).sources)) {
    for (const shard of s.shards) {
      const file = await asyncBufferFromFile(join(dir, shard.path));
      const metadata = await parquetMetadataAsync(file);
      const ids = await parquetReadObjects({ file, metadata, columns: ['id'], compressors: readCompressors });
      const row = ids.findIndex((r) => r.id === id);
      if (row < 0) continue;
      const [r] = await parquetReadObjects({ file, metadata, rowStart: row, rowEnd: row + 1, compressors: readCompressors });
      const doc: Doc = { id, text: String(r.text), source: String(r.source), meta: JSON.parse(String(r.metadata)) as Record<string, unknown> };
      return { doc, where: `${shard.path} row ${row}`, reason: typeof r.reason === 'string' ? r.reason : undefined };
    }
  }
  return undefined;
}
