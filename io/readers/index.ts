import type { PipelineConfig, SourceConfig } from '../../core/config-schema.js';
import type { Task } from '../../core/task.js';
import { RecordMapper } from '../record.js';
import type { ReadBatch } from './batch.js';
import { readJsonl } from './jsonl.js';
import { readParquet } from './parquet.js';
import { readArrow } from './arrow.js';

export type { ReadBatch } from './batch.js';

/** Streams one task's input as batches of docs and problems, whatever the format. */
export function readTask(task: Task, source: SourceConfig, cfg: PipelineConfig): AsyncGenerator<ReadBatch> {
  const mapper = new RecordMapper(source, task, cfg.max_doc_bytes);
  const opts = { maxDocBytes: cfg.max_doc_bytes, batchBytes: cfg.batch_bytes };
  switch (task.format) {
    case 'parquet':
      return readParquet(task, mapper, task.zyda ? 'text' : source.text_field.split('.')[0], task.zyda ? 'id' : source.id_field?.split('.')[0], opts);
    case 'arrow':
      return readArrow(task, mapper, opts);
    default:
      return readJsonl(task, mapper, opts);
  }
}
