import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { tempPathFor } from '../core/atomic.js';
import type { SectionSink } from './record-file.js';

/**
 * A bundle holds several record files (record-file.ts) of one task in one file, so a task leaves one file
 * for all its sorted keys instead of one per band. Layout:
 *   section … section        each a complete record file (header, records, trailer with its SHA-256)
 *   table                    JSON {"<section name>": [byte offset, byte length], …}
 *   table SHA-256            32 bytes
 *   footer                   16 bytes: table length (u64 LE), magic "ZYDABN01"
 * Each section is checked as its own record file; the table by its hash. Sections are written one at a time.
 */
const MAGIC = 'ZYDABN01';
const FOOTER_BYTES = 16;
const HASH_BYTES = 32;

export class BundleWriter {
  private readonly tmp: string;
  private readonly fd: number;
  private pos = 0;
  private readonly table: Record<string, [number, number]> = {};

  constructor(private readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.tmp = tempPathFor(path);
    this.fd = openSync(this.tmp, 'w');
  }

  /** Where the next section goes; give it to a RecordWriter and close that before asking for another. */
  section(name: string): SectionSink {
    const start = this.pos;
    return {
      fd: this.fd,
      closed: (bytes) => {
        this.table[name] = [start, bytes];
        this.pos += bytes;
      },
    };
  }

  /** Writes the table and renames the bundle into place. */
  close(): void {
    const table = Buffer.from(JSON.stringify(this.table));
    const footer = Buffer.alloc(FOOTER_BYTES);
    footer.writeBigUInt64LE(BigInt(table.length), 0);
    footer.write(MAGIC, 8, 'latin1');
    writeSync(this.fd, Buffer.concat([table, createHash('sha256').update(table).digest(), footer]));
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
  }

  abort(): void {
    closeSync(this.fd);
    rmSync(this.tmp, { force: true });
  }
}

/** Where a section lies in an open bundle of `size` bytes; undefined when the bundle has no such section. */
export function readSection(fd: number, size: number, name: string): { start: number; bytes: number } | undefined {
  if (size < FOOTER_BYTES + HASH_BYTES) throw new Error(`only ${size} bytes, shorter than an empty bundle`);
  const footer = Buffer.alloc(FOOTER_BYTES);
  readSync(fd, footer, 0, FOOTER_BYTES, size - FOOTER_BYTES);
  if (footer.toString('latin1', 8) !== MAGIC) throw new Error('not a zyda dedup bundle (bad magic)');
  const length = Number(footer.readBigUInt64LE(0));
  const at = size - FOOTER_BYTES - HASH_BYTES - length;
  if (at < 0) throw new Error(`its footer promises a ${length}-byte table, more than the file holds`);
  const tail = Buffer.alloc(length + HASH_BYTES);
  readSync(fd, tail, 0, tail.length, at);
  const table = tail.subarray(0, length);
  if (!createHash('sha256').update(table).digest().equals(tail.subarray(length))) throw new Error('its section table fails its checksum');
  const entry = (JSON.parse(table.toString('utf8')) as Record<string, [number, number]>)[name];
  return entry && { start: entry[0], bytes: entry[1] };
}
