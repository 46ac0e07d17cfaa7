import { createHash, type Hash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { tempPathFor } from '../core/atomic.js';
import { RunError } from '../core/errors.js';
import { readSection } from './bundle-file.js';

/**
 * Every dedup intermediate is a file of fixed-width records of 32-bit words, so a stage can stream it and
 * seek in it. Layout: a 16-byte header (magic, kind, words per record), the records little-endian, and a
 * 40-byte trailer (record count as u64, SHA-256 of everything before the trailer). The trailer comes last
 * so a writer can stream; a reader checks the size against the count first (a cut file fails at once) and
 * the hash as it reads, so a changed file fails before any result built from it is renamed into place.
 */
const MAGIC = 'ZYDADD01';
const HEADER_BYTES = 16;
const TRAILER_BYTES = 40;
const FLUSH_WORDS = 1 << 18;

export type RecordKind = 'band' | 'exact' | 'edges' | 'sigs' | 'docs' | 'annot' | 'bits' | 'index';
const tag = (kind: RecordKind) => kind.padEnd(4, ' ').slice(0, 4);

function header(kind: RecordKind, width: number): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  h.write(MAGIC, 0, 'latin1');
  h.write(tag(kind), 8, 'latin1');
  h.writeUInt32LE(width, 12);
  return h;
}

/** Where a section of a bundle (bundle-file.ts) is written: the bundle's open file, told the section's size at the end. */
export interface SectionSink {
  fd: number;
  closed(bytes: number): void;
}

export class RecordWriter {
  private readonly tmp?: string;
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  /** The buffer grows to `cap` words as records come, so a writer of a few records allocates little. */
  private readonly cap: number;
  private buf: Uint32Array;
  private used = 0;
  private count = 0;
  private bytes = 0;

  /** Writes the file at `path` (through a temporary name), or a section into a bundle's sink. */
  constructor(
    private readonly path: string | SectionSink,
    kind: RecordKind,
    readonly width: number,
  ) {
    if (typeof path === 'string') {
      mkdirSync(dirname(path), { recursive: true });
      this.tmp = tempPathFor(path);
      this.fd = openSync(this.tmp, 'w');
    } else this.fd = path.fd;
    this.cap = Math.max(width, FLUSH_WORDS - (FLUSH_WORDS % width));
    this.buf = new Uint32Array(Math.min(this.cap, width * 256));
    this.put(header(kind, width));
  }

  private put(bytes: Uint8Array): void {
    this.hash.update(bytes);
    writeSync(this.fd, bytes);
    this.bytes += bytes.length;
  }

  /** Appends records already laid out as `width` words each. */
  writeWords(words: Uint32Array): void {
    if (words.length % this.width !== 0) throw new Error(`record writer: ${words.length} words is not a multiple of ${this.width}`);
    this.count += words.length / this.width;
    if (this.room(words.length)) {
      this.buf.set(words, this.used);
      this.used += words.length;
      return;
    }
    this.put(new Uint8Array(words.buffer, words.byteOffset, words.byteLength));
  }

  write(...record: number[]): void {
    this.room(this.width);
    for (let i = 0; i < this.width; i++) this.buf[this.used++] = record[i];
    this.count++;
  }

  /** Makes room for `words` more words in the buffer, flushing it when full; false if they exceed the buffer. */
  private room(words: number): boolean {
    if (this.used + words > this.cap) this.flush();
    if (words > this.cap) return false;
    if (this.used + words > this.buf.length) {
      const grown = new Uint32Array(Math.min(this.cap, Math.max(this.buf.length * 2, this.used + words)));
      grown.set(this.buf.subarray(0, this.used));
      this.buf = grown;
    }
    return true;
  }

  private flush(): void {
    if (this.used === 0) return;
    this.put(new Uint8Array(this.buf.buffer, 0, this.used * 4));
    this.used = 0;
  }

  /** Writes the trailer and renames the file into place; returns the record count. */
  close(): number {
    this.flush();
    const t = Buffer.alloc(TRAILER_BYTES);
    t.writeBigUInt64LE(BigInt(this.count), 0);
    this.hash.digest().copy(t, 8);
    writeSync(this.fd, t);
    if (typeof this.path === 'string') {
      closeSync(this.fd);
      renameSync(this.tmp!, this.path);
    } else this.path.closed(this.bytes + TRAILER_BYTES);
    return this.count;
  }

  abort(): void {
    if (typeof this.path !== 'string') return;
    closeSync(this.fd);
    rmSync(this.tmp!, { force: true });
  }
}

export function writeRecords(path: string | SectionSink, kind: RecordKind, width: number, words: Uint32Array): number {
  const w = new RecordWriter(path, kind, width);
  w.writeWords(words);
  return w.close();
}

/**
 * Opens a record file, or one section of a bundle (bundle-file.ts), and checks its header and size; `rerun`
 * names the task that wrote it.
 */
export class RecordReader {
  readonly count: number;
  readonly width: number;
  private readonly fd: number;
  /** Where the record file starts in the file at `path`: 0, or a bundle section's offset. */
  private readonly start: number;
  /** The path, and the section when it is one, for messages. */
  private readonly where: string;
  private closed = false;

  constructor(
    readonly path: string,
    readonly kind: RecordKind,
    readonly rerun: string,
    section?: string,
  ) {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (err) {
      throw new RunError(`${path}: missing intermediate (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); rerun ${rerun}`);
    }
    this.fd = fd;
    this.where = section === undefined ? path : `${path} (section ${section})`;
    const fail = (why: string): never => {
      closeSync(fd);
      throw new RunError(`${this.where}: ${why}; the file is damaged or was cut short, rerun ${rerun}`);
    };
    let size = fstatSync(fd).size;
    this.start = 0;
    if (section !== undefined) {
      let at: { start: number; bytes: number } | undefined;
      try {
        at = readSection(fd, size, section);
      } catch (err) {
        fail((err as Error).message);
      }
      if (!at) fail(`no section ${section}`);
      this.start = at!.start;
      size = at!.bytes;
    }
    if (size < HEADER_BYTES + TRAILER_BYTES) fail(`only ${size} bytes, shorter than an empty record file`);
    const h = Buffer.alloc(HEADER_BYTES);
    readSync(fd, h, 0, HEADER_BYTES, this.start);
    if (h.toString('latin1', 0, 8) !== MAGIC) fail('not a zyda dedup record file (bad magic)');
    if (h.toString('latin1', 8, 12) !== tag(kind)) fail(`holds "${h.toString('latin1', 8, 12).trim()}" records, expected ${kind}`);
    this.width = h.readUInt32LE(12);
    const t = Buffer.alloc(8);
    readSync(fd, t, 0, 8, this.start + size - TRAILER_BYTES);
    this.count = Number(t.readBigUInt64LE(0));
    const expected = HEADER_BYTES + this.count * this.width * 4 + TRAILER_BYTES;
    if (this.width === 0 || size !== expected) fail(`${size} bytes, but its trailer promises ${this.count} records (${expected} bytes)`);
  }

  /**
   * Streams the records in chunks of whole records, verifying the checksum at the end. Each chunk is a fresh
   * array, unless `reuse`: then every chunk is a view of one buffer, valid until the next.
   */
  *chunks(recordsPerChunk = 1 << 16, reuse = false): Generator<Uint32Array> {
    const hash = createHash('sha256');
    const head = Buffer.alloc(HEADER_BYTES);
    readSync(this.fd, head, 0, HEADER_BYTES, this.start);
    hash.update(head);
    let pos = HEADER_BYTES;
    let left = this.count;
    try {
      const shared = reuse ? new Uint32Array(Math.min(left, recordsPerChunk) * this.width) : undefined;
      while (left > 0) {
        const n = Math.min(left, recordsPerChunk);
        const words = shared ? shared.subarray(0, n * this.width) : new Uint32Array(n * this.width);
        const bytes = new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
        let got = 0;
        while (got < bytes.length) {
          const r = readSync(this.fd, bytes, got, bytes.length - got, this.start + pos + got);
          if (r === 0) throw new RunError(`${this.where}: ended early; rerun ${this.rerun}`);
          got += r;
        }
        hash.update(bytes);
        pos += bytes.length;
        left -= n;
        yield words;
      }
      const t = Buffer.alloc(TRAILER_BYTES);
      readSync(this.fd, t, 0, TRAILER_BYTES, this.start + pos);
      if (!hash.digest().equals(t.subarray(8))) throw new RunError(`${this.where}: checksum mismatch, the file changed after it was written; rerun ${this.rerun}`);
    } finally {
      this.close();
    }
  }

  close(): void {
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
  }

  /** The whole file as one array (for files known to be small, such as one task's annotations). */
  readAll(): Uint32Array {
    const out = new Uint32Array(this.count * this.width);
    let at = 0;
    for (const c of this.chunks()) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/**
 * Reads single records by index without streaming the file; used to fetch signatures for verification and
 * inspection. Random reads cannot check the hash, so a caller that needs integrity streams the file once first.
 */
export class RecordSeeker {
  readonly count: number;
  readonly width: number;
  private readonly fd: number;

  constructor(path: string, kind: RecordKind, rerun: string) {
    const r = new RecordReader(path, kind, rerun);
    this.count = r.count;
    this.width = r.width;
    this.fd = openSync(path, 'r');
    r.close();
  }

  read(index: number, out = new Uint32Array(this.width)): Uint32Array {
    readSync(this.fd, new Uint8Array(out.buffer, out.byteOffset, this.width * 4), 0, this.width * 4, HEADER_BYTES + index * this.width * 4);
    return out;
  }

  close(): void {
    closeSync(this.fd);
  }
}
