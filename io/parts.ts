import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { tempPathFor } from '../core/atomic.js';
import { RunError } from '../core/errors.js';
import { compressBlock, decompressBlock } from './zstd-buffers.js';
import type { ColumnValue, Doc } from '../core/types.js';

/**
 * Part files carry one task's docs from one segment to the next. A part is a run of blocks, each
 * [u32 compressed bytes][u32 raw bytes][zstd frame], and each block's raw bytes hold whole records:
 * [u32 bytes][JSON of the doc's other fields][u32 bytes][text, UTF-8; UTF-16LE when the length's top bit is
 * set]. The text goes in as it is, with no JSON escaping on the way out or parsing on the way back, which
 * makes a part several times cheaper to write and read than JSON lines: every pipeline writes and reads one
 * per segment. Integers are little-endian.
 */
export interface PartInfo {
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
}

/** A doc's fields other than its text, as a part stores them. */
interface PartHeader {
  i: string;
  s: string;
  m: Record<string, unknown>;
  n?: number;
  /** Text before transform, and filter features: carried only when a barrier separates them from their users. */
  o?: string;
  f?: Record<string, unknown>;
  /** The values of stage-declared output columns. */
  c?: Record<string, ColumnValue>;
}

const FLUSH_BYTES = 4 << 20;
/** A block's buffer: a flush's worth and room for the doc that crosses it, unless that doc is bigger. */
const BLOCK_BYTES = FLUSH_BYTES + (64 << 10);
/** Set in a text's length word when the text is stored as UTF-16LE. */
const UTF16_FLAG = 0x80000000;

const isWellFormed = (s: string): boolean => (s as string & { isWellFormed(): boolean }).isWellFormed();

export class PartWriter {
  private readonly tmp: string;
  private readonly fd: number;
  private readonly hash = createHash('sha256');
  private block = Buffer.allocUnsafe(BLOCK_BYTES);
  private readonly lengths = Buffer.alloc(8);
  private used = 0;
  private rows = 0;
  private bytes = 0;

  constructor(private readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.tmp = tempPathFor(path);
    this.fd = openSync(this.tmp, 'w');
  }

  write(docs: Doc[]): void {
    for (const d of docs) {
      const h: PartHeader = { i: d.id, s: d.source, m: d.meta };
      if (d.tokenCount !== undefined) h.n = d.tokenCount;
      if (d.original !== undefined && d.original !== d.text) h.o = d.original;
      if (d.features !== undefined) h.f = d.features;
      if (d.columns !== undefined) h.c = d.columns;
      const header = JSON.stringify(h);
      const headerBytes = Buffer.byteLength(header, 'utf8');
      // UTF-8 has no spelling for a lone surrogate, so a text with one travels as UTF-16 and comes back as it was.
      const encoding = isWellFormed(d.text) ? 'utf8' : 'utf16le';
      const textBytes = Buffer.byteLength(d.text, encoding);
      this.reserve(8 + headerBytes + textBytes);
      const b = this.block;
      b.writeUInt32LE(headerBytes, this.used);
      b.write(header, this.used + 4, headerBytes, 'utf8');
      this.used += 4 + headerBytes;
      b.writeUInt32LE(encoding === 'utf8' ? textBytes : (textBytes | UTF16_FLAG) >>> 0, this.used);
      b.write(d.text, this.used + 4, textBytes, encoding);
      this.used += 4 + textBytes;
      this.rows++;
      if (this.used >= FLUSH_BYTES) this.flush();
    }
  }

  /** Room for `n` more bytes in the block; a doc bigger than a block gets a block of its own size. */
  private reserve(n: number): void {
    if (this.used + n <= this.block.length) return;
    this.flush();
    if (n > this.block.length) this.block = Buffer.allocUnsafe(n);
  }

  private flush(): void {
    if (this.used === 0) return;
    const frame = compressBlock(this.block.subarray(0, this.used), 1);
    const lengths = this.lengths;
    lengths.writeUInt32LE(frame.length, 0);
    lengths.writeUInt32LE(this.used, 4);
    for (const piece of [lengths, frame]) {
      this.hash.update(piece);
      writeSync(this.fd, piece);
    }
    this.bytes += 8 + frame.length;
    this.used = 0;
    // A block grown for one huge doc is not kept for the rest of the part.
    if (this.block.length > BLOCK_BYTES) this.block = Buffer.allocUnsafe(BLOCK_BYTES);
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
 * `rows` keeps rows [from, to) only: blocks before them are only counted, blocks after them only hashed.
 */
export async function* readPart(part: PartInfo, writtenBy: string, batchDocs = 2000, keep: { from: number; to: number } = { from: 0, to: Infinity }): AsyncGenerator<Doc[]> {
  const unreadable = (why: string) => new RunError(`${part.path}: unreadable intermediate (${why}); rerun ${writtenBy}`);
  const hash = createHash('sha256');
  let fd: number;
  try {
    fd = openSync(part.path, 'r');
  } catch (err) {
    throw unreadable((err as Error).message);
  }
  let batch: Doc[] = [];
  let rows = 0;
  let at = 0;
  let frameBuf = Buffer.alloc(0);
  try {
    const lengths = Buffer.alloc(8);
    for (;;) {
      const got = readSync(fd, lengths, 0, 8, at);
      if (got === 0) break;
      if (got < 8) throw unreadable(`a block header cut short at byte ${at}`);
      const frameBytes = lengths.readUInt32LE(0);
      const rawBytes = lengths.readUInt32LE(4);
      // One frame buffer for the whole part, grown as needed: blocks are read one at a time.
      if (frameBuf.length < frameBytes) frameBuf = Buffer.allocUnsafeSlow(frameBytes);
      const frame = frameBuf.subarray(0, frameBytes);
      if (readSync(fd, frame, 0, frameBytes, at + 8) !== frameBytes) throw unreadable(`a block cut short at byte ${at}`);
      hash.update(lengths);
      hash.update(frame);
      at += 8 + frameBytes;
      // Past the rows kept: the checksum still covers the rest, which rows beyond it cannot be wrong without.
      if (rows >= keep.to) continue;
      let raw: Buffer;
      try {
        raw = decompressBlock(frame, rawBytes);
      } catch (err) {
        throw unreadable(`block at byte ${at - 8 - frameBytes}: ${(err as Error).message}`);
      }
      // The whole block is decoded before anything is yielded: `raw` is the thread's shared buffer, which the
      // consumer's own zstd calls may reuse while this generator waits.
      const before = countBlock(raw);
      if (rows + before <= keep.from) {
        rows += before;
        continue;
      }
      const docs = decodeBlock(raw);
      const first = rows;
      rows += docs.length;
      for (let i = Math.max(0, keep.from - first); i < docs.length && first + i < keep.to; i++) {
        const d = docs[i];
        batch.push(d);
        if (batch.length >= batchDocs) {
          yield batch;
          batch = [];
        }
      }
    }
  } catch (err) {
    if (err instanceof RunError) throw err;
    throw unreadable((err as Error).message);
  } finally {
    closeSync(fd);
  }
  const sha = hash.digest('hex');
  if (sha !== part.sha256 || (rows !== part.rows && rows < keep.to)) {
    throw new RunError(`${part.path}: intermediate does not match its checksum (${rows} of ${part.rows} rows); rerun ${writtenBy}`);
  }
  if (batch.length > 0) yield batch;
}

/** How many records one block's raw bytes hold, without decoding them. */
function countBlock(raw: Buffer): number {
  let n = 0;
  for (let p = 0; p < raw.length; n++) {
    p += 4 + raw.readUInt32LE(p);
    p += 4 + ((raw.readUInt32LE(p) & ~UTF16_FLAG) >>> 0);
  }
  return n;
}

/** The records of one block's raw bytes. */
function decodeBlock(raw: Buffer): Doc[] {
  const docs: Doc[] = [];
  for (let p = 0; p < raw.length; ) {
    const headerBytes = raw.readUInt32LE(p);
    const h = JSON.parse(raw.toString('utf8', p + 4, p + 4 + headerBytes)) as PartHeader;
    p += 4 + headerBytes;
    const word = raw.readUInt32LE(p);
    const textBytes = (word & ~UTF16_FLAG) >>> 0;
    const text = raw.toString(word & UTF16_FLAG ? 'utf16le' : 'utf8', p + 4, p + 4 + textBytes);
    p += 4 + textBytes;
    docs.push({ id: h.i, text, source: h.s, meta: h.m, tokenCount: h.n, original: h.o, features: h.f, columns: h.c });
  }
  return docs;
}
