import { compressors as baseCompressors } from 'hyparquet-compressors';
import { decompress } from 'zstd-napi';
import { compressBlock } from './zstd-buffers.js';

/** hyparquet's decompressors, with ZSTD on native zstd-napi (about 3x the pure-JS default). */
export const readCompressors = {
  ...baseCompressors,
  ZSTD: (input: Uint8Array) => decompress(input),
};

/**
 * A page compressor for hyparquet-writer. Its output is a view into the thread's reused buffer: the writer
 * copies each compressed page into the file before it compresses the next.
 */
export function zstdCompressor(level: number): (input: Uint8Array) => Uint8Array {
  return (input) => compressBlock(input, level);
}
