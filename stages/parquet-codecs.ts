import { compressors as baseCompressors } from 'hyparquet-compressors';
import { compress, decompress } from 'zstd-napi';

/** hyparquet's decompressors, with ZSTD on native zstd-napi (about 3x the pure-JS default). */
export const readCompressors = {
  ...baseCompressors,
  ZSTD: (input: Uint8Array) => decompress(input),
};

export function zstdCompressor(level: number): (input: Uint8Array) => Uint8Array {
  return (input) => compress(input, { compressionLevel: level });
}
