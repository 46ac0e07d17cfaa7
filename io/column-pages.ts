import type { ColumnChunk, CompressionCodec, OffsetIndex, SchemaElement, Statistics } from 'hyparquet';
import { ByteWriter } from 'hyparquet-writer/src/bytewriter.js';
import { writePageHeader } from 'hyparquet-writer/src/datapage.js';
import type { ParquetWriter } from 'hyparquet-writer';
import type { ByteSlabs } from './byte-slabs.js';

type Writer = ParquetWriter['writer'];

/** A page buffer starts small and doubles, so short columns (source, token_count) never hold a whole page's worth. */
const FIRST_PAGE_BUFFER = 64 << 10;

/** One data page, compressed, held in the writer's slabs until its row group is written. */
interface Page {
  header: Uint8Array;
  data: Uint8Array;
  rows: number;
  rawBytes: number;
}

/** A flat REQUIRED column of one of the types zyda writes. */
export type PageColumn = SchemaElement & { type: 'BYTE_ARRAY' | 'INT32' | 'INT64' | 'DOUBLE' | 'BOOLEAN' };

export interface ColumnWrite {
  chunk: ColumnChunk;
  offsetIndex?: OffsetIndex;
}

/**
 * One column of the row group being built. Values are PLAIN-encoded into a page buffer as they arrive, and
 * each page is compressed as soon as it holds `pageSize` bytes, so a row group costs its compressed size in
 * memory, not its raw size plus an encoder's copies. Columns are REQUIRED, so pages carry no levels.
 */
export class ColumnPages {
  private page: Buffer;
  private used = 0;
  private pageRows = 0;
  private pages: Page[] = [];
  private min: Uint8Array | number | undefined;
  private max: Uint8Array | number | undefined;
  rows = 0;
  /** Page headers and compressed data of the closed pages. */
  compressedBytes = 0;
  /** Encoded bytes of every value so far, closed pages and the open one. */
  rawBytes = 0;
  /** Encoded bytes of the closed pages alone. */
  closedRawBytes = 0;

  constructor(
    readonly element: PageColumn,
    private readonly codec: CompressionCodec,
    /** May return a buffer it reuses on the next call: the page is copied out at once. */
    private readonly compress: (page: Uint8Array) => Uint8Array,
    private readonly slabs: ByteSlabs,
    private readonly pageSize: number,
    /** Min/max in the chunk's metadata: worth it for short values such as ids, not for text. */
    private readonly statistics: boolean,
  ) {
    this.page = Buffer.allocUnsafeSlow(FIRST_PAGE_BUFFER);
  }

  /** Appends a string as UTF-8 (a lone surrogate becomes U+FFFD); returns its byte length. */
  addString(s: string): number {
    // UTF-8 takes at most 3 bytes per UTF-16 unit: only a long string needs its exact length up front.
    const room = s.length <= 65_536 ? 3 * s.length : Buffer.byteLength(s, 'utf8');
    this.reserve(4 + room);
    const at = this.used + 4;
    const n = this.page.write(s, at, room, 'utf8');
    this.page.writeUInt32LE(n, this.used);
    if (this.statistics) this.track(this.page.subarray(at, at + n));
    this.added(4 + n);
    return n;
  }

  addInt32(v: number): void {
    this.reserve(4);
    this.page.writeInt32LE(v, this.used);
    if (this.statistics) this.trackNumber(v);
    this.added(4);
  }

  addInt64(v: number): void {
    this.reserve(8);
    this.page.writeBigInt64LE(BigInt(v), this.used);
    if (this.statistics) this.trackNumber(v);
    this.added(8);
  }

  /** PLAIN booleans are bit-packed, first value in the lowest bit: a new byte every eighth value of a page. */
  addBoolean(v: boolean): void {
    const bit = this.pageRows & 7;
    if (bit === 0) {
      this.reserve(1);
      this.page[this.used] = 0;
    }
    if (v) this.page[bit === 0 ? this.used : this.used - 1] |= 1 << bit;
    if (this.statistics) this.trackNumber(v ? 1 : 0);
    this.added(bit === 0 ? 1 : 0);
  }

  addDouble(v: number): void {
    this.reserve(8);
    this.page.writeDoubleLE(v, this.used);
    if (this.statistics && !Number.isNaN(v)) this.trackNumber(v);
    this.added(8);
  }

  /** Closes the open page, so `compressedBytes` is what the chunk will take in the file. */
  closePage(): void {
    if (this.pageRows === 0) return;
    const raw = this.page.subarray(0, this.used);
    const data = this.slabs.copy(this.codec === 'UNCOMPRESSED' ? raw : this.compress(raw));
    const header = new ByteWriter(64);
    writePageHeader(header, {
      type: 'DATA_PAGE_V2',
      uncompressed_page_size: raw.length,
      compressed_page_size: data.length,
      data_page_header_v2: {
        num_values: this.pageRows,
        num_nulls: 0,
        num_rows: this.pageRows,
        encoding: 'PLAIN',
        definition_levels_byte_length: 0,
        repetition_levels_byte_length: 0,
        is_compressed: this.codec !== 'UNCOMPRESSED',
      },
    });
    const page = { header: this.slabs.copy(header.getBytes()), data, rows: this.pageRows, rawBytes: raw.length };
    this.pages.push(page);
    this.compressedBytes += page.header.length + data.length;
    this.closedRawBytes += raw.length;
    this.used = 0;
    this.pageRows = 0;
    // A huge value grew the buffer: give that memory back rather than keep it for the rest of the run.
    if (this.page.length > 4 * this.pageSize) this.page = Buffer.allocUnsafeSlow(FIRST_PAGE_BUFFER);
  }

  /** Writes the column chunk (every page, in order) and starts an empty one for the next row group. */
  write(writer: Writer): ColumnWrite {
    this.closePage();
    const start = writer.offset;
    let uncompressed = 0;
    let firstRow = 0;
    const locations: OffsetIndex['page_locations'] = [];
    for (const p of this.pages) {
      const offset = writer.offset;
      writer.appendBytes(p.header);
      writer.appendBytes(p.data);
      locations.push({ offset: BigInt(offset), compressed_page_size: writer.offset - offset, first_row_index: BigInt(firstRow) });
      uncompressed += p.header.length + p.rawBytes;
      firstRow += p.rows;
    }
    const statistics: Statistics | undefined = this.statistics && this.min !== undefined ? { min_value: this.min, max_value: this.max, null_count: 0n } : undefined;
    const chunk: ColumnChunk = {
      file_offset: BigInt(start),
      meta_data: {
        type: this.element.type,
        encodings: ['PLAIN'],
        path_in_schema: [this.element.name],
        codec: this.codec,
        num_values: BigInt(this.rows),
        total_uncompressed_size: BigInt(uncompressed),
        total_compressed_size: BigInt(writer.offset - start),
        data_page_offset: BigInt(start),
        statistics,
      },
    };
    const pages = this.pages.length;
    this.pages = [];
    this.rows = this.compressedBytes = this.rawBytes = this.closedRawBytes = 0;
    this.min = this.max = undefined;
    return { chunk, offsetIndex: pages > 1 ? { page_locations: locations } : undefined };
  }

  private reserve(n: number): void {
    if (this.used + n <= this.page.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.used + n, 2 * this.page.length));
    this.page.copy(grown, 0, 0, this.used);
    this.page = grown;
  }

  private added(n: number): void {
    this.used += n;
    this.rawBytes += n;
    this.pageRows++;
    this.rows++;
    if (this.used >= this.pageSize) this.closePage();
  }

  /** Parquet orders byte arrays by unsigned bytes, which is what Buffer.compare does. */
  private track(bytes: Buffer): void {
    if (this.min === undefined || Buffer.compare(bytes, this.min as Uint8Array) < 0) this.min = Buffer.from(bytes);
    if (this.max === undefined || Buffer.compare(bytes, this.max as Uint8Array) > 0) this.max = Buffer.from(bytes);
  }

  private trackNumber(v: number): void {
    if (this.min === undefined || v < (this.min as number)) this.min = v;
    if (this.max === undefined || v > (this.max as number)) this.max = v;
  }
}
