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
import type { Doc } from '../core/types.js';
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

/** Columns beyond the five every shard has (id, text, source, token_count, metadata). */
export interface ExtraColumns {
  /** `filtering_features`: JSON of what each filter measured (Zyda's release has it). */
  features?: boolean;
  /** `reason`: why the doc was dropped, in a rejected-docs output. */
  reason?: boolean;
  /** `language` and `language_score`, from langid with `columns: true`. */
  language?: boolean;
  /** `dup_cluster_id` and `dup_cluster_size`, from dedup with `cluster_columns: true`. */
  dup?: boolean;
}

const string = (name: string): PageColumn => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' });
const int32 = (name: string): PageColumn => ({ name, type: 'INT32', repetition_type: 'REQUIRED' });
const double = (name: string): PageColumn => ({ name, type: 'DOUBLE', repetition_type: 'REQUIRED' });

/** Parquet's usual page size: a page is compressed as soon as it holds this much. */
const PAGE_BYTES = 1 << 20;

/** Columns too long for min/max to be worth keeping: no reader prunes on them. */
const UNSUMMARISED = new Set(['text', 'metadata', 'filtering_features']);

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
    extra: ExtraColumns = {},
    /** Part of the temporary names, unique among writers that share `dir` at the same time. */
    private readonly tag = 'w0',
  ) {
    mkdirSync(dir, { recursive: true });
    const codec = CODECS[cfg.compression];
    const compress = codec === 'GZIP' ? (b: Uint8Array) => gzipSync(b) : codec === 'SNAPPY' ? snappyCompress : (b: Uint8Array) => compressBlock(b, cfg.compression_level);
    this.pending = new PendingRows(extra, (element) => new ColumnPages(element, codec, compress, this.slabs, PAGE_BYTES, !UNSUMMARISED.has(element.name)));
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
  private readonly reason?: ColumnPages;
  private readonly features?: ColumnPages;
  private readonly language?: [ColumnPages, ColumnPages];
  private readonly dup?: [ColumnPages, ColumnPages];
  /** Every column, in schema order. */
  readonly columns: ColumnPages[];

  constructor(extra: ExtraColumns, column: (element: PageColumn) => ColumnPages) {
    this.id = column(string('id'));
    this.text = column(string('text'));
    this.source = column(string('source'));
    this.tokenCount = column(int32('token_count'));
    this.metadata = column(string('metadata'));
    if (extra.reason) this.reason = column(string('reason'));
    if (extra.features) this.features = column(string('filtering_features'));
    if (extra.language) this.language = [column(string('language')), column(double('language_score'))];
    if (extra.dup) this.dup = [column(string('dup_cluster_id')), column(int32('dup_cluster_size'))];
    const optional = [this.reason, this.features, ...(this.language ?? []), ...(this.dup ?? [])];
    this.columns = [this.id, this.text, this.source, this.tokenCount, this.metadata, ...optional.filter((c) => c !== undefined)];
  }

  add(d: Doc): void {
    this.id.addString(d.id);
    this.textBytes += this.text.addString(d.text);
    this.source.addString(d.source);
    this.tokenCount.addInt32(d.tokenCount ?? 0);
    this.metadata.addString(JSON.stringify(d.meta));
    this.reason?.addString(d.reason ?? '');
    this.features?.addString(JSON.stringify(d.features ?? {}));
    if (this.language) {
      this.language[0].addString(d.language?.label ?? '');
      this.language[1].addDouble(d.language?.score ?? 0);
    }
    if (this.dup) {
      this.dup[0].addString(d.dup?.cluster ?? '');
      this.dup[1].addInt32(d.dup?.size ?? 1);
    }
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
