import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { SchemaElement } from 'hyparquet';
import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import { snappyCompress } from 'hyparquet-writer/src/snappy.js';
import { ByteSlabs } from './byte-slabs.js';
import { ColumnPages, type ColumnWrite, type PageColumn } from './column-pages.js';
import type { WriteConfig } from '../core/config-schema.js';
import type { ColumnDef } from '../core/stage.js';
import type { ColumnValue, Doc } from '../core/types.js';
import { compressBlock } from './zstd-buffers.js';
import { ZYDA_VERSION } from '../core/version.js';

export interface ShardInfo {
  /** Temporary path until the run commits; then the final train-XXXXX-of-NNNNN.parquet. */
  path: string;
  rows: number;
  tokens: number;
  text_bytes: number;
  bytes: number;
  sha256: string;
}

const string = (name: string): PageColumn => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' });
const int32 = (name: string): PageColumn => ({ name, type: 'INT32', repetition_type: 'REQUIRED' });

const PARQUET_TYPES = { int32: 'INT32', int64: 'INT64', double: 'DOUBLE', boolean: 'BOOLEAN' } as const;

function elementOf(c: ColumnDef): PageColumn {
  return c.type === 'string' ? string(c.name) : { name: c.name, type: PARQUET_TYPES[c.type], repetition_type: 'REQUIRED' };
}

/** Parquet's usual page size: a page is compressed as soon as it holds this much. */
const PAGE_BYTES = 1 << 20;

/** Base columns too long for min/max to be worth keeping: no reader prunes on them. */
const UNSUMMARISED = new Set(['text', 'metadata']);

const CODECS = { zstd: 'ZSTD', snappy: 'SNAPPY', gzip: 'GZIP', none: 'UNCOMPRESSED' } as const;

/**
 * Writes one source's docs, in order, into parquet shards of at most about shard_max_bytes. Row groups
 * close at row_group_bytes of encoded values (or row_group_rows), or earlier when the shard's budget would
 * be exceeded; a shard closes when the next row group would not fit.
 */
export class ShardWriter {
  private writer?: ParquetWriter;
  private current?: { path: string; rows: number; tokens: number; textBytes: number };
  private readonly done: Omit<ShardInfo, 'sha256'>[] = [];
  private readonly slabs = new ByteSlabs();
  private readonly pending: PendingRows;
  private readonly schema: SchemaElement[];

  constructor(
    private readonly dir: string,
    private readonly cfg: WriteConfig,
    /** The columns after the five base ones, in order (see ColumnDef). */
    extra: ColumnDef[] = [],
    /** Part of the temporary names, unique among writers that share `dir` at the same time. */
    private readonly tag = 'w0',
  ) {
    mkdirSync(dir, { recursive: true });
    const codec = CODECS[cfg.compression];
    const compress = codec === 'GZIP' ? (b: Uint8Array) => gzipSync(b) : codec === 'SNAPPY' ? snappyCompress : (b: Uint8Array) => compressBlock(b, cfg.compression_level);
    this.pending = new PendingRows(extra, (element, statistics = true) => new ColumnPages(element, codec, compress, this.slabs, PAGE_BYTES, statistics && !UNSUMMARISED.has(element.name)));
    this.schema = [{ name: 'root', num_children: this.pending.columns.length }, ...this.pending.columns.map((c) => c.element)];
  }

  add(docs: Doc[]): void {
    for (const doc of docs) {
      this.pending.add(doc);
      if (this.rowGroupFull()) this.flushRowGroup();
    }
  }

  private rowGroupFull(): boolean {
    const p = this.pending;
    if (this.cfg.row_group_rows !== undefined && p.rows >= this.cfg.row_group_rows) return true;
    if (p.rawBytes() >= this.cfg.row_group_bytes) return true;
    return (this.writer?.writer.offset ?? 0) + p.compressedEstimate() >= this.cfg.shard_max_bytes;
  }

  private flushRowGroup(): void {
    const p = this.pending;
    if (p.rows === 0) return;
    const size = p.closePages();
    if (this.writer && this.writer.writer.offset + size > this.cfg.shard_max_bytes) this.closeShard();
    const w = this.writer ?? this.openShard();
    const cur = this.current!;
    const start = w.writer.offset;
    const columns = p.write(w.writer);
    for (const c of columns) w.pendingIndexes.push(c);
    w.row_groups.push({
      columns: columns.map((c) => c.chunk),
      total_byte_size: columns.reduce((n, c) => n + (c.chunk.meta_data?.total_uncompressed_size ?? 0n), 0n),
      num_rows: BigInt(p.rows),
      total_compressed_size: BigInt(w.writer.offset - start),
    });
    w.num_rows += BigInt(p.rows);
    cur.rows += p.rows;
    cur.tokens += p.tokens;
    cur.textBytes += p.textBytes;
    p.clear();
    // Every page of the row group is in the file now: its slabs can be filled again.
    this.slabs.reset();
  }

  private openShard(): ParquetWriter {
    const path = join(this.dir, `.tmp-${process.pid}-${this.tag}-shard-${String(this.done.length).padStart(5, '0')}.parquet`);
    this.writer = new ParquetWriter({
      writer: fileWriter(path),
      schema: this.schema,
      codec: CODECS[this.cfg.compression],
      createdBy: `zyda ${ZYDA_VERSION} (hyparquet-writer)`,
    });
    this.current = { path, rows: 0, tokens: 0, textBytes: 0 };
    return this.writer;
  }

  private closeShard(): void {
    if (!this.writer || !this.current) return;
    this.writer.finish();
    const c = this.current;
    this.done.push({ path: c.path, rows: c.rows, tokens: c.tokens, text_bytes: c.textBytes, bytes: this.writer.writer.offset });
    this.writer = undefined;
    this.current = undefined;
  }

  /** Closes the last shard and checksums every shard written. */
  async finish(): Promise<ShardInfo[]> {
    this.flushRowGroup();
    this.closeShard();
    const out: ShardInfo[] = [];
    for (const s of this.done) out.push({ ...s, sha256: await sha256File(s.path) });
    return out;
  }
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * The next row group, column by column, each streaming into compressed pages as docs arrive: a writer holds
 * about one row group of compressed bytes and no doc objects. With several writers at work this is what
 * bounds a run's peak memory, and it does not grow with the row group's raw size.
 */
class PendingRows {
  rows = 0;
  tokens = 0;
  textBytes = 0;
  private readonly id: ColumnPages;
  private readonly text: ColumnPages;
  private readonly source: ColumnPages;
  private readonly tokenCount: ColumnPages;
  private readonly metadata: ColumnPages;
  /** The declared columns after the base ones, each with its definition. */
  private readonly extra: { def: ColumnDef; pages: ColumnPages; valueOf: (doc: Doc) => ColumnValue }[];
  /** Every column, in schema order. */
  readonly columns: ColumnPages[];

  constructor(extra: ColumnDef[], column: (element: PageColumn, statistics?: boolean) => ColumnPages) {
    this.id = column(string('id'));
    this.text = column(string('text'));
    this.source = column(string('source'));
    this.tokenCount = column(int32('token_count'));
    this.metadata = column(string('metadata'));
    this.extra = extra.map((def) => ({ def, pages: column(elementOf(def), def.statistics), valueOf: def.value ?? ((doc: Doc) => doc.columns?.[def.name] ?? def.fill) }));
    this.columns = [this.id, this.text, this.source, this.tokenCount, this.metadata, ...this.extra.map((c) => c.pages)];
  }

  add(d: Doc): void {
    this.id.addString(d.id);
    this.textBytes += this.text.addString(d.text);
    this.source.addString(d.source);
    this.tokenCount.addInt32(d.tokenCount ?? 0);
    this.metadata.addString(JSON.stringify(d.meta));
    for (const { def, pages, valueOf } of this.extra) addValue(pages, def, valueOf(d));
    this.rows++;
    this.tokens += d.tokenCount ?? 0;
  }

  rawBytes(): number {
    let n = 0;
    for (const c of this.columns) n += c.rawBytes;
    return n;
  }

  /** What the row group will take on disk: closed pages exactly, open ones at the ratio the closed ones had. */
  compressedEstimate(): number {
    let compressed = 0;
    let closedRaw = 0;
    let raw = 0;
    for (const c of this.columns) {
      compressed += c.compressedBytes;
      closedRaw += c.closedRawBytes;
      raw += c.rawBytes;
    }
    const ratio = closedRaw > 0 ? compressed / closedRaw : 0.5;
    return compressed + (raw - closedRaw) * ratio;
  }

  /** Closes every open page; returns the row group's size on disk. */
  closePages(): number {
    let n = 0;
    for (const c of this.columns) {
      c.closePage();
      n += c.compressedBytes;
    }
    return n;
  }

  write(writer: ParquetWriter['writer']): ColumnWrite[] {
    return this.columns.map((c) => c.write(writer));
  }

  clear(): void {
    this.rows = this.tokens = this.textBytes = 0;
  }
}

/**
 * A value of another type is a stage's bug: it fails the write, naming the column, rather than being coerced.
 * Doubles are finite: values travel between segments as JSON, which has no NaN or infinity.
 */
function addValue(pages: ColumnPages, def: ColumnDef, v: ColumnValue): void {
  if (!fits(def.type, v)) throw new Error(`column ${def.name}: ${JSON.stringify(v)} is not a ${def.type}`);
  if (def.type === 'string') pages.addString(v as string);
  else if (def.type === 'int32') pages.addInt32(v as number);
  else if (def.type === 'int64') pages.addInt64(v as number);
  else if (def.type === 'double') pages.addDouble(v as number);
  else pages.addBoolean(v as boolean);
}

function fits(type: ColumnDef['type'], v: ColumnValue): boolean {
  if (type === 'string') return typeof v === 'string';
  if (type === 'boolean') return typeof v === 'boolean';
  if (type === 'double') return typeof v === 'number' && Number.isFinite(v);
  if (type === 'int32') return typeof v === 'number' && (v | 0) === v;
  return Number.isSafeInteger(v);
}
