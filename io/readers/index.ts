import type { PipelineConfig, SourceConfig } from '../../core/config-schema.js';
import type { FileFormat, Task } from '../../core/task.js';
import { RecordMapper } from '../record.js';
import { zstdNapi } from '../zstd-napi.js';
import type { ReadBatch } from './batch.js';
import { readJsonl } from './jsonl.js';

export type { ReadBatch } from './batch.js';

// The Parquet and Arrow readers, and their libraries, load only where a task reads such a file.
const parquetReader = () => import('./parquet.js');
const arrowReader = () => import('./arrow.js');

/** Loads the readers of these formats ahead of their tasks: worker threads do it before they say they are ready. */
export async function loadReaders(formats: readonly FileFormat[]): Promise<void> {
  // zstd's in-process decoder, for a thread whose pool takes every core or a machine without the zstd CLI (byte-stream.ts).
  if (formats.includes('jsonl.zst')) zstdNapi();
  if (formats.includes('parquet')) await parquetReader();
  if (formats.includes('arrow')) await arrowReader();
}

/** Streams one task's input as batches of docs and problems, whatever the format. */
export function readTask(task: Task, source: SourceConfig, cfg: PipelineConfig): AsyncGenerator<ReadBatch> {
  const mapper = new RecordMapper(source, task, cfg.max_doc_bytes);
  const opts = { maxDocBytes: cfg.max_doc_bytes, batchBytes: cfg.batch_bytes };
  switch (task.format) {
    case 'parquet':
      return (async function* () {
        const { readParquet } = await parquetReader();
        yield* readParquet(task, mapper, task.zyda ? 'text' : source.text_field.split('.')[0], task.zyda ? 'id' : source.id_field?.split('.')[0], opts);
      })();
    case 'arrow':
      return (async function* () {
        const { readArrow } = await arrowReader();
        yield* readArrow(task, mapper, opts);
      })();
    default:
      return readJsonl(task, mapper, opts);
  }
}
