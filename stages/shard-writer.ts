import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet';
import type { WriteConfig } from './config-schema.js';
import { zstdCompressor } from './parquet-codecs.js';
import { Utf8Slabs } from './utf8-slabs.js';
import type { Doc } from './types.js';
import { ZYDA_VERSION } from './version.js';

export interface ShardInfo {
  /** Temporary path until the run commits; then the final train-XXXXX-of-NNNNN.parquet. */
  path: string;
  rows: number;
  tokens: number;
  text_bytes: number;
  bytes: number;
  sha256: string;
}

const string = (name: string): SchemaElement => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' });

/** Columns beyond the five every shard has. */
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

const BASE_SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: 5 },
  string('id'),
  string('text'),
  string('source'),
  { name: 'token_count', type: 'INT32', repetition_type: 'REQUIRED' },
  string('metadata'),
];

const CODECS = { zstd: 'ZSTD', snappy: 'SNAPPY', gzip: 'GZIP', none: 'UNCOMPRESSED' } as const;

/**
 * Writes one source's docs, in order, into parquet shards of at most about shard_max_bytes. Row groups
 * close at row_group_bytes of text (or row_group_rows), or earlier when the shard's budget would be
 * exceeded; a shard closes when the next row group would not fit.
 */
export class ShardWriter {
  private writer?: ParquetWriter;
  private current?: { path: string; rows: number; tokens: number; textBytes: number };
  private readonly done: Omit<ShardInfo, 'sha256'>[] = [];
  private readonly slabs = new Utf8Slabs();
  private pending: PendingRows;
  private pendingBytes = 0;
  /** Compressed/raw ratio seen so far, to predict what pending rows will cost on disk. */
  private ratio = 0.5;

  private readonly schema: SchemaElement[];

  constructor(
    private readonly dir: string,
    private readonly cfg: WriteConfig,
    private readonly extra: ExtraColumns = {},
    /** Part of the temporary names, unique among writers that share `dir` at the same time. */
    private readonly tag = 'w0',
  ) {
    mkdirSync(dir, { recursive: true });
    const extraColumns: SchemaElement[] = [
      ...(extra.reason ? [string('reason')] : []),
      ...(extra.features ? [string('filtering_features')] : []),
      ...(extra.language ? [string('language'), { name: 'language_score', type: 'DOUBLE', repetition_type: 'REQUIRED' } as SchemaElement] : []),
      ...(extra.dup ? [string('dup_cluster_id'), { name: 'dup_cluster_size', type: 'INT32', repetition_type: 'REQUIRED' } as SchemaElement] : []),
    ];
    this.schema = [{ ...BASE_SCHEMA[0], num_children: 5 + extraColumns.length }, ...BASE_SCHEMA.slice(1), ...extraColumns];
    this.pending = new PendingRows(extra, this.slabs);
  }

  add(docs: Doc[]): void {
    for (const doc of docs) {
      this.pending.add(doc);
      // id and metadata count too, but text dominates; this is a budget, not an exact size.
      this.pendingBytes += doc.text.length + doc.id.length + 16;
      if (this.rowGroupFull()) this.flushRowGroup();
    }
  }

  private rowGroupFull(): boolean {
    if (this.cfg.row_group_rows !== undefined && this.pending.rows >= this.cfg.row_group_rows) return true;
    if (this.pendingBytes >= this.cfg.row_group_bytes) return true;
    const used = this.writer?.writer.offset ?? 0;
    return used + this.pendingBytes * this.ratio >= this.cfg.shard_max_bytes;
  }

  private flushRowGroup(): void {
    const p = this.pending;
    if (p.rows === 0) return;
    const used = this.writer?.writer.offset ?? 0;
    if (this.writer && used + this.pendingBytes * this.ratio > this.cfg.shard_max_bytes) this.closeShard();
    const w = this.writer ?? this.openShard();
    const cur = this.current!;
    const before = w.writer.offset;
    // Synchronous (the file writer has no async flush): once it returns, the row group is encoded and its
    // slabs can be filled again.
    void w.write({ rowGroupSize: p.rows, columnData: p.columns() });
    this.slabs.reset();
    if (this.pendingBytes > 0) this.ratio = (w.writer.offset - before) / this.pendingBytes;
    cur.rows += p.rows;
    cur.tokens += p.tokens;
    cur.textBytes += p.textBytes;
    this.pending = new PendingRows(this.extra, this.slabs);
    this.pendingBytes = 0;
  }

  private openShard(): ParquetWriter {
    const path = join(this.dir, `.tmp-${process.pid}-${this.tag}-shard-${String(this.done.length).padStart(5, '0')}.parquet`);
    const codec = CODECS[this.cfg.compression];
    this.writer = new ParquetWriter({
      writer: fileWriter(path),
      schema: this.schema,
      codec,
      compressors: { ZSTD: zstdCompressor(this.cfg.compression_level), GZIP: (b: Uint8Array) => gzipSync(b) },
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
 * The next row group, column by column. Text is kept as UTF-8 in the writer's slabs rather than as the docs'
 * strings, so a writer holds about one row group of text bytes and no doc objects: with several writers at
 * work this is what bounds a run's peak memory.
 */
class PendingRows {
  rows = 0;
  tokens = 0;
  textBytes = 0;
  private readonly ids: string[] = [];
  private readonly texts: Uint8Array[] = [];
  private readonly sources: string[] = [];
  private readonly tokenCounts: number[] = [];
  private readonly metas: string[] = [];
  private readonly reasons: string[] = [];
  private readonly features: string[] = [];
  private readonly languages: string[] = [];
  private readonly languageScores: number[] = [];
  private readonly clusterIds: string[] = [];
  private readonly clusterSizes: number[] = [];

  constructor(
    private readonly extra: ExtraColumns,
    private readonly slabs: Utf8Slabs,
  ) {}

  add(d: Doc): void {
    const text = this.slabs.encode(d.text);
    this.ids.push(d.id);
    this.texts.push(text);
    this.sources.push(d.source);
    this.tokenCounts.push(d.tokenCount ?? 0);
    this.metas.push(JSON.stringify(d.meta));
    if (this.extra.reason) this.reasons.push(d.reason ?? '');
    if (this.extra.features) this.features.push(JSON.stringify(d.features ?? {}));
    if (this.extra.language) {
      this.languages.push(d.language?.label ?? '');
      this.languageScores.push(d.language?.score ?? 0);
    }
    if (this.extra.dup) {
      this.clusterIds.push(d.dup?.cluster ?? '');
      this.clusterSizes.push(d.dup?.size ?? 1);
    }
    this.rows++;
    this.tokens += d.tokenCount ?? 0;
    this.textBytes += text.length;
  }

  columns(): { name: string; data: unknown[] | Int32Array | Float64Array; statistics?: boolean }[] {
    const x = this.extra;
    return [
      { name: 'id', data: this.ids },
      // No min/max for text: of no use for pruning, and they would be views into slabs that get reused.
      { name: 'text', data: this.texts, statistics: false },
      { name: 'source', data: this.sources },
      { name: 'token_count', data: Int32Array.from(this.tokenCounts) },
      { name: 'metadata', data: this.metas },
      ...(x.reason ? [{ name: 'reason', data: this.reasons }] : []),
      ...(x.features ? [{ name: 'filtering_features', data: this.features }] : []),
      ...(x.language ? [{ name: 'language', data: this.languages }, { name: 'language_score', data: Float64Array.from(this.languageScores) }] : []),
      ...(x.dup ? [{ name: 'dup_cluster_id', data: this.clusterIds }, { name: 'dup_cluster_size', data: Int32Array.from(this.clusterSizes) }] : []),
    ];
  }
}
