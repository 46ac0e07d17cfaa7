import { isAscii, isUtf8 } from 'node:buffer';
import type { Task } from '../../core/task.js';
import { RecordMapper, problemAt } from '../record.js';
import { BatchBuilder, type ReadBatch } from './batch.js';
import { openBytes, StreamError } from './byte-stream.js';

export interface ReadOptions {
  maxDocBytes: number;
  batchBytes: number;
}

/**
 * Streams JSON lines (plain, gzip or zstd) record by record. Memory holds one chunk plus at most one
 * line of up to max_doc_bytes: a longer line is skipped as it streams past, never buffered whole.
 */
export async function* readJsonl(task: Task, mapper: RecordMapper, opts: ReadOptions): AsyncGenerator<ReadBatch> {
  const out = new BatchBuilder(opts.batchBytes);
  let line = task.byteRange?.firstLine ?? 1;
  let carry: Buffer[] = [];
  let carryLen = 0;
  let skipping = false;

  const tooLarge = () => {
    out.addProblem(problemAt(task, { line }, 'doc_too_large', `line of more than ${opts.maxDocBytes} bytes is over max_doc_bytes`));
    line++;
  };

  const handleLine = (buf: Buffer, s: number, e: number) => {
    if (e - s > opts.maxDocBytes) return tooLarge();
    if (!isUtf8(buf.subarray(s, e))) {
      out.addProblem(problemAt(task, { line }, 'invalid_utf8', 'invalid UTF-8 in the line'));
    } else {
      parseLine(buf.toString('utf8', s, e));
    }
    line++;
  };

  const parseLine = (text: string) => {
    if (text.length === 0 || (text.length < 4 && text.trim() === '')) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      if (text.trim() === '') return;
      out.addProblem(problemAt(task, { line }, 'malformed_json', `malformed JSON (${(err as Error).message.slice(0, 120)})`));
      return;
    }
    const r = mapper.map(value, { line });
    if ('kind' in r) out.addProblem(r);
    else out.addDoc(r);
  };

  // Fast path: one UTF-8 check and one decode for a whole chunk of complete lines. An ASCII chunk, the usual
  // case for English, decodes as latin1, a plain copy, much cheaper than the UTF-8 decoder.
  const handleRegion = (buf: Buffer, s: number, e: number) => {
    const region = buf.subarray(s, e);
    const ascii = isAscii(region);
    if (ascii || isUtf8(region)) {
      const lines = region.toString(ascii ? 'latin1' : 'utf8').split('\n');
      for (const text of lines) {
        if (text.length > opts.maxDocBytes / 3 && Buffer.byteLength(text) > opts.maxDocBytes) tooLarge();
        else {
          parseLine(text);
          line++;
        }
      }
      return;
    }
    let from = s;
    while (from <= e) {
      let nl = buf.indexOf(10, from);
      if (nl === -1 || nl > e) nl = e;
      handleLine(buf, from, nl);
      from = nl + 1;
    }
  };

  // A byte order mark (some Windows tools write one) opens the file, not the first record.
  let atFileStart = (task.byteRange?.start ?? 0) === 0 && (task.textRange?.from ?? 0) === 0;
  try {
    for await (const chunk of openBytes(task, (bytes) => out.consumed(bytes), (first) => (line = first))) {
      let start = 0;
      if (atFileStart) {
        atFileStart = false;
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) start = 3;
      }
      if (carryLen > 0 || skipping) {
        const nl = chunk.indexOf(10);
        if (nl === -1) {
          if (!skipping) {
            carry.push(chunk);
            carryLen += chunk.length;
            if (carryLen > opts.maxDocBytes) {
              skipping = true;
              carry = [];
              carryLen = 0;
            }
          }
          continue;
        }
        if (skipping) {
          tooLarge();
          skipping = false;
        } else {
          carry.push(chunk.subarray(0, nl));
          const joined = Buffer.concat(carry);
          handleLine(joined, 0, joined.length);
        }
        carry = [];
        carryLen = 0;
        start = nl + 1;
      }
      const last = chunk.lastIndexOf(10);
      if (last >= start) {
        handleRegion(chunk, start, last);
        start = last + 1;
      }
      if (start < chunk.length) {
        carry.push(chunk.subarray(start));
        carryLen = chunk.length - start;
        if (carryLen > opts.maxDocBytes) {
          skipping = true;
          carry = [];
          carryLen = 0;
        }
      }
      if (out.full) yield out.take();
    }
    if (skipping) tooLarge();
    else if (carryLen > 0) {
      const joined = Buffer.concat(carry);
      handleLine(joined, 0, joined.length);
    }
  } catch (err) {
    if (!(err instanceof StreamError)) throw err;
    // The partial record cut off by the error is the one document this problem stands for.
    out.addProblem({ kind: err.kind, file: task.file, line, message: `${err.message}; stopped at line ${line}`, docs: 1 });
  }
  if (!out.empty) yield out.take();
}
