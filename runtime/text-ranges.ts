import { closeSync, openSync, readSync } from 'node:fs';
import type { Task } from '../core/task.js';
import { zstdContentSize } from '../io/readers/zstd-frames.js';

/**
 * At most this many tasks for one gzip or one-frame zstd file (Task.textRange). Each decompresses the file from
 * its start up to its range, so k ranges decompress (k - 1) / 2 files' worth more than one task would: 1.5 times
 * the file at 4. Past a few ranges a file is better recompressed as multi-frame zstd, or split.
 */
export const MAX_TEXT_RANGES = 4;

/**
 * The least text a range holds: below a few MB, a task's fixed cost and the decompression of what comes before
 * its range outweigh the cores it buys.
 */
export const MIN_RANGE_TEXT = 4 << 20;

/** What a file whose decompressed size is not stated is taken to decompress to, per compressed byte. */
const ASSUMED_RATIO = 3;

/**
 * What a gzip or zstd file decompresses to, as its headers state it (zstd frame content sizes; gzip's ISIZE,
 * the last member's size modulo 4 GiB, trusted only where it can be the whole file's), else an estimate. Only
 * where the cuts fall depends on it: the last range reads to the end whatever the size.
 */
export function decompressedSize(file: string, format: 'jsonl.gz' | 'jsonl.zst', size: number): number {
  const stated = format === 'jsonl.zst' ? zstdContentSize(file, size) : gzipStatedSize(file, size);
  return stated ?? size * ASSUMED_RATIO;
}

function gzipStatedSize(file: string, size: number): number | undefined {
  // A file this large may decompress past 4 GiB, where ISIZE wraps.
  if (size < 18 || size >= 1 << 29) return undefined;
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(4);
    if (readSync(fd, b, 0, 4, size - 4) !== 4) return undefined;
    const isize = b.readUInt32LE(0);
    // Far below the compressed size, it is a last member's, not the file's (concatenated members).
    return isize >= size / 2 ? isize : undefined;
  } finally {
    closeSync(fd);
  }
}

/** How many ranges a file of this decompressed size would need for tasks of taskBytes, before the cap. */
export const rangesWanted = (decompressed: number, taskBytes: number) => Math.max(1, Math.ceil(decompressed / taskBytes));

/**
 * Cuts a file that can only be read from its start into equal ranges of its decompressed bytes, as many as
 * taskBytes asks for, up to MAX_TEXT_RANGES and with at least MIN_RANGE_TEXT each, each with its share of the
 * compressed bytes as its size. Where lines fall is left to the readers (io/readers/text-range.ts): the cuts
 * need no decompression, and depend on the file and taskBytes only.
 */
export function textRanges(size: number, decompressed: number, taskBytes: number): Pick<Task, 'bytes' | 'textRange'>[] {
  const k = Math.max(1, Math.min(MAX_TEXT_RANGES, rangesWanted(decompressed, taskBytes), Math.floor(decompressed / MIN_RANGE_TEXT)));
  if (k === 1) return [{ bytes: size }];
  const cut = (i: number) => Math.floor((decompressed * i) / k);
  const share = (i: number) => Math.floor((size * i) / k);
  return Array.from({ length: k }, (_, i) => ({
    bytes: share(i + 1) - share(i),
    textRange: i === k - 1 ? { from: cut(i) } : { from: cut(i), to: cut(i + 1) },
  }));
}
