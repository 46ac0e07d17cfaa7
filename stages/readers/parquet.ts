import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema, type FileMetaData } from 'hyparquet';
import type { Task } from '../plan.js';
import type { RecordMapper } from '../record.js';
import { readCompressors } from '../parquet-codecs.js';
import type { InputProblem } from '../types.js';
import { BatchBuilder, type ReadBatch } from './batch.js';
import type { ReadOptions } from './jsonl.js';
import { unreadableCode } from './stream-error.js';

/** Reads one row group at a time, so memory is bounded by the largest row group, not the file. */
export async function* readParquet(task: Task, mapper: RecordMapper, textColumn: string, opts: ReadOptions): AsyncGenerator<ReadBatch> {
  const out = new BatchBuilder(opts.batchBytes);
  let file: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  let meta: FileMetaData;
  try {
    file = await asyncBufferFromFile(task.file);
    meta = await parquetMetadataAsync(file);
  } catch (err) {
    const code = unreadableCode(err);
    out.addProblem(code ? fileProblem(task, 'unreadable_file', `cannot read (${code})`) : fileProblem(task, 'corrupt_file', `not a readable parquet file (${(err as Error).message})`));
    yield out.take();
    return;
  }
  const columns = parquetSchema(meta).children.map((c) => c.element.name);
  const range = task.rowRange ?? { start: 0, end: Number(meta.num_rows) };
  if (!columns.includes(textColumn)) {
    // Every row lacks its text: count them all, with one message rather than one per row.
    out.addProblem({ ...fileProblem(task, 'missing_text_column', `no column "${textColumn}" (columns: ${columns.join(', ')})`), docs: range.end - range.start });
    yield out.take();
    return;
  }
  let groupStart = 0;
  for (const group of meta.row_groups) {
    const groupEnd = groupStart + Number(group.num_rows);
    const start = Math.max(groupStart, range.start);
    const end = Math.min(groupEnd, range.end);
    groupStart = groupEnd;
    if (start >= end) continue;
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file, metadata: meta, rowStart: start, rowEnd: end, compressors: readCompressors });
    } catch (err) {
      out.addProblem({ ...fileProblem(task, 'corrupt_file', `rows ${start}-${end - 1} unreadable (${(err as Error).message})`), row: start, docs: end - start });
      continue;
    }
    for (let i = 0; i < rows.length; i++) {
      const r = mapper.map(rows[i], { row: start + i });
      if ('kind' in r) out.addProblem(r);
      else out.addDoc(r);
      if (out.full) yield out.take();
    }
  }
  if (!out.empty) yield out.take();
}

export function fileProblem(task: Task, kind: InputProblem['kind'], message: string): InputProblem {
  return { kind, file: task.file, message: `${task.file}: ${message}`, docs: 1 };
}
