import { createHash } from 'node:crypto';
import { closeSync, createReadStream, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { compress, DecompressStream } from 'zstd-napi';
import { tempPathFor } from './atomic.js';
import { RunError } from './errors.js';
import type { Doc } from './types.js';

/**
 * Part files carry one task's docs from one segment to the next: zstd-compressed JSON lines, one frame
 * per flush, so a user can inspect them with `zstd -dc`. Each line: {i: id, t: text, s: source, m: meta, n?: tokens}.
 */
export interface PartInfo {
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
}

interface PartLine {
  i: string;
  t: string;
  s: string;
  m: Record<string, unknown>;
  n?: number;
  /** Text before transform, and filter features: carried only when a barrier separates them from their users. */
  o?: string;
  f?: Record<string, unknown>;
  r?: string;
  l?: { label: string; score: number };
  d?: { cluster: string; size: number };
}

const FLUSH_BYTES = 4 << 20;

export class PartWriter {
  private readonly tmp: string;
  private readonly fd: number;
  private readonly hash = createHash('sha256');
  private pending: string[] = [];
  private pendingChars = 0;
  private rows = 0;
  private bytes = 0;

  constructor(private readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.tmp = tempPathFor(path);
    this.fd = openSync(this.tmp, 'w');
  }

  write(docs: Doc[]): void {
    for (const d of docs) {
      const line: PartLine = { i: d.id, t: d.text, s: d.source, m: d.meta };
      if (d.tokenCount !== undefined) line.n = d.tokenCount;
      if (d.original !== undefined && d.original !== d.text) line.o = d.original;
      if (d.features !== undefined) line.f = d.features;
      if (d.reason !== undefined) line.r = d.reason;
      if (d.language !== undefined) line.l = d.language;
      if (d.dup !== undefined) line.d = d.dup;
      const s = JSON.stringify(line);
      this.pending.push(s);
      this.pendingChars += s.length;
      this.rows++;
      if (this.pendingChars >= FLUSH_BYTES) this.flush();
    }
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const frame = compress(Buffer.from(this.pending.join('\n') + '\n'), { compressionLevel: 1 });
    this.hash.update(frame);
    writeSync(this.fd, frame);
    this.bytes += frame.length;
    this.pending = [];
    this.pendingChars = 0;
  }

  close(): PartInfo {
    this.flush();
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
    return { path: this.path, rows: this.rows, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}

/**
 * Streams the docs of a part back in order, checking its sha256 as it goes. A part that was cut short or
 * changed since it was written fails with the task that wrote it, never with a silently shorter result.
 */
export async function* readPart(part: PartInfo, writtenBy: string, batchDocs = 2000): AsyncGenerator<Doc[]> {
  const hash = createHash('sha256');
  const raw = createReadStream(part.path, { highWaterMark: 1 << 20 });
  raw.on('data', (c) => hash.update(c as Buffer));
  const utf8 = new StringDecoder('utf8');
  let carry = '';
  let batch: Doc[] = [];
  let rows = 0;
  try {
    for await (const chunk of raw.pipe(new DecompressStream()) as AsyncIterable<Buffer>) {
      const text = carry + utf8.write(chunk);
      const lines = text.split('\n');
      carry = lines.pop() ?? '';
      for (const l of lines) {
        const p = JSON.parse(l) as PartLine;
        batch.push({ id: p.i, text: p.t, source: p.s, meta: p.m, tokenCount: p.n, original: p.o, features: p.f, reason: p.r, language: p.l, dup: p.d });
        rows++;
        if (batch.length >= batchDocs) {
          yield batch;
          batch = [];
        }
      }
    }
  } catch (err) {
    throw new RunError(`${part.path}: unreadable intermediate (${(err as Error).message}); rerun ${writtenBy}`);
  }
  const sha = hash.digest('hex');
  if (sha !== part.sha256 || rows !== part.rows || carry !== '') {
    throw new RunError(`${part.path}: intermediate does not match its checksum (${rows} of ${part.rows} rows); rerun ${writtenBy}`);
  }
  if (batch.length > 0) yield batch;
}
