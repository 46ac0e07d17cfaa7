// The three source files, each in the format a real corpus of its kind comes in.

import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { compress } from 'zstd-napi';
import type { AnyRecord, BookRow, EmailRec, SourceName, WebDoc } from './records.js';
import { BOOKS_ROW_GROUP_SIZE, GENERATOR_VERSION, WEB_SHARDS } from './settings.js';

export interface DocRef {
  source: SourceName;
  file: string;
  line?: number;
  row?: number;
}

export interface FileSummary {
  path: string;
  source: SourceName;
  format: string;
  text_field: string;
  docs: number;
  bytes: number;
  /** Of the uncompressed JSONL; stable even if a different zlib build compresses differently. */
  jsonl_sha256?: string;
}

function jsonlOf(records: readonly object[]): Buffer {
  return Buffer.from(records.map((r) => JSON.stringify(r)).join('\n') + '\n', 'utf8');
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** zlib leaves mtime at 0, but the OS byte depends on the build; pin it to Unix so output matches everywhere. */
function gzipDeterministic(data: Buffer): Buffer {
  const gz = gzipSync(data, { level: 6 });
  gz[9] = 3;
  return gz;
}

export function writeWeb(dir: string, web: readonly WebDoc[], refs: Map<AnyRecord, DocRef>): FileSummary[] {
  mkdirSync(join(dir, 'web'), { recursive: true });
  const perShard = Math.ceil(web.length / WEB_SHARDS);
  const files: FileSummary[] = [];
  for (let shard = 0; shard < WEB_SHARDS; shard++) {
    const docs = web.slice(shard * perShard, (shard + 1) * perShard);
    const path = `web/part-${String(shard).padStart(5, '0')}.jsonl.zst`;
    docs.forEach((doc, i) => refs.set(doc, { source: 'web', file: path, line: i + 1 }));
    const jsonl = jsonlOf(docs);
    const packed = compress(jsonl, { compressionLevel: 3 });
    writeFileSync(join(dir, path), packed);
    files.push({ path, source: 'web', format: 'jsonl.zst', text_field: 'text', docs: docs.length, bytes: packed.length, jsonl_sha256: sha256(jsonl) });
  }
  return files;
}

export function writeBooks(dir: string, books: readonly BookRow[], refs: Map<AnyRecord, DocRef>): FileSummary {
  mkdirSync(join(dir, 'books'), { recursive: true });
  const path = 'books/books.parquet';
  books.forEach((row, i) => refs.set(row, { source: 'books', file: path, row: i }));
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: books.map((b) => b.id), type: 'STRING', nullable: false },
      { name: 'content', data: books.map((b) => b.content), type: 'STRING', nullable: false },
      { name: 'title', data: books.map((b) => b.title), type: 'STRING', nullable: false },
      { name: 'genre', data: books.map((b) => b.genre), type: 'STRING', nullable: false },
    ],
    codec: 'ZSTD',
    compressors: { ZSTD: (b: Uint8Array) => compress(b, { compressionLevel: 3 }) },
    rowGroupSize: BOOKS_ROW_GROUP_SIZE,
    kvMetadata: [{ key: 'zyda.sample.generator', value: GENERATOR_VERSION }],
  });
  const bytes = new Uint8Array(buffer);
  writeFileSync(join(dir, path), bytes);
  return { path, source: 'books', format: 'parquet', text_field: 'content', docs: books.length, bytes: bytes.length };
}

export function writeEmails(dir: string, emails: readonly EmailRec[], refs: Map<AnyRecord, DocRef>): FileSummary {
  mkdirSync(join(dir, 'email'), { recursive: true });
  const path = 'email/emails.jsonl.gz';
  emails.forEach((e, i) => refs.set(e, { source: 'email', file: path, line: i + 1 }));
  const jsonl = jsonlOf(emails);
  const packed = gzipDeterministic(jsonl);
  writeFileSync(join(dir, path), packed);
  return { path, source: 'email', format: 'jsonl.gz', text_field: 'body.text', docs: emails.length, bytes: packed.length, jsonl_sha256: sha256(jsonl) };
}
