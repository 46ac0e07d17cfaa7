import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema, type FileMetaData } from 'hyparquet';
import type { Task } from '../../core/task.js';
import { problemAt, type RecordMapper } from '../record.js';
import { readCompressors } from '../parquet-codecs.js';
import type { InputProblem } from '../../core/types.js';
import { BatchBuilder, type ReadBatch } from './batch.js';
import type { ReadOptions } from './jsonl.js';
import { invalidUtf8Rows } from './parquet-utf8.js';
import { compressedBytes } from './parquet-groups.js';
import { unreadableCode } from './stream-error.js';

/** Reads one row group at a time, so memory is bounded by the largest row group, not the file. */
export async function* readParquet(task: Task, mapper: RecordMapper, textColumn: string, idColumn: string | undefined, opts: ReadOptions): AsyncGenerator<ReadBatch> {
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
  // The text and the id become a shard's UTF-8 strings: bad bytes in them are an error, not silent U+FFFD.
  const stringColumns = [textColumn, ...(idColumn && columns.includes(idColumn) ? [idColumn] : [])];
  let groupStart = 0;
  for (const group of meta.row_groups) {
    const groupEnd = groupStart + Number(group.num_rows);
    const start = Math.max(groupStart, range.start);
    const end = Math.min(groupEnd, range.end);
    groupStart = groupEnd;
    if (start >= end) continue;
    // Progress inside the file: the group's bytes on disk, told row by row as its docs go out.
    const progress = new RowsOfBytes(out, end - start, compressedBytes(group));
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file, metadata: meta, rowStart: start, rowEnd: end, compressors: readCompressors });
    } catch (err) {
      out.addProblem({ ...fileProblem(task, 'corrupt_file', `rows ${start}-${end - 1} unreadable (${(err as Error).message})`), row: start, docs: end - start });
      progress.to(end - start);
      continue;
    }
    const readRaw = (only: string[]) => parquetReadObjects({ file, metadata: meta, rowStart: start, rowEnd: end, columns: only, parsers: { stringFromBytes: (bytes: Uint8Array) => bytes as unknown as string }, compressors: readCompressors });
    const badUtf8 = await invalidUtf8Rows(rows, stringColumns, readRaw);
    for (let i = 0; i < rows.length; i++) {
      const column = badUtf8.get(i);
      if (column !== undefined) out.addProblem(problemAt(task, { row: start + i }, 'invalid_utf8', `invalid UTF-8 in column "${column}"`));
      else {
        const r = mapper.map(rows[i], { row: start + i });
        if ('kind' in r) out.addProblem(r);
        else out.addDoc(r);
      }
      if (out.full) {
        progress.to(i + 1);
        yield out.take();
      }
    }
    progress.to(rows.length);
  }
  if (!out.empty) yield out.take();
}

/** Tells a batch builder a row group's bytes in proportion to its rows done, to the byte once all are. */
class RowsOfBytes {
  private told = 0;
  constructor(
    private readonly out: BatchBuilder,
    private readonly rows: number,
    private readonly bytes: number,
  ) {}
  to(rowsDone: number): void {
    const at = Math.floor((this.bytes * rowsDone) / this.rows);
    if (at > this.told) this.out.consumed(at - this.told);
    this.told = Math.max(this.told, at);
  }
}

export function fileProblem(task: Task, kind: InputProblem['kind'], message: string): InputProblem {
  return { kind, file: task.file, message: `${task.file}: ${message}`, docs: 1 };
}
