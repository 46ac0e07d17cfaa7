import { open, type FileHandle } from 'node:fs/promises';
import type { Task } from '../../core/task.js';
import type { RecordMapper } from '../record.js';
import { BatchBuilder, type ReadBatch } from './batch.js';
import type { ReadOptions } from './jsonl.js';
import { fileProblem } from './parquet.js';
import { unreadableCode } from './stream-error.js';

/** Arrow IPC (file or stream format; HF `datasets.save_to_disk` writes the stream format), one record batch at a time. */
export async function* readArrow(task: Task, mapper: RecordMapper, opts: ReadOptions): AsyncGenerator<ReadBatch> {
  const out = new BatchBuilder(opts.batchBytes);
  let file: FileHandle;
  try {
    file = await open(task.file, 'r');
  } catch (err) {
    out.addProblem(unreadableCode(err) ? fileProblem(task, 'unreadable_file', `cannot read (${unreadableCode(err)})`) : fileProblem(task, 'corrupt_file', (err as Error).message));
    yield out.take();
    return;
  }
  let row = 0;
  try {
    // Loaded on first use: apache-arrow is slow to import, and most runs read no Arrow files.
    const { RecordBatchReader } = await import('apache-arrow');
    const stream = file.createReadStream({ highWaterMark: 1 << 20, autoClose: false });
    const reader = await RecordBatchReader.from(stream);
    // Progress inside the file: the bytes the record batches so far were read from.
    let told = 0;
    for await (const batch of reader) {
      out.consumed(stream.bytesRead - told);
      told = stream.bytesRead;
      for (let i = 0; i < batch.numRows; i++, row++) {
        const r = mapper.map(batch.get(i)?.toJSON() ?? null, { row });
        if ('kind' in r) out.addProblem(r);
        else out.addDoc(r);
        if (out.full) yield out.take();
      }
    }
  } catch (err) {
    out.addProblem({ ...fileProblem(task, row === 0 ? 'corrupt_file' : 'truncated_file', `Arrow IPC unreadable at row ${row} (${(err as Error).message})`), row });
  } finally {
    await file.close();
  }
  if (!out.empty) yield out.take();
}
