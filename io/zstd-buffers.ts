import { createRequire } from 'node:module';

/**
 * zstd through one compression and one decompression context per thread, writing into buffers that are reused
 * from call to call. zstd-napi's simple functions return a fresh buffer for every call, and contexts made per
 * file hold MBs of native workspace until the garbage collector finalises them; at a block every few MB, either
 * piles up dead memory: tens of MB a thread. Every call here finishes before it returns, so one set per thread
 * serves every writer and reader on it.
 */
type Binding = typeof import('zstd-napi/binding.js');
const binding = createRequire(import.meta.url)('zstd-napi/binding.js') as Binding;

let cctx: InstanceType<Binding['CCtx']> | undefined;
let dctx: InstanceType<Binding['DCtx']> | undefined;
let compressed = Buffer.alloc(0);
let decompressed = Buffer.alloc(0);

/** The compressed frame of `src` at `level`: a view valid until the next call on this thread. */
export function compressBlock(src: Uint8Array, level: number): Buffer {
  cctx ??= new binding.CCtx();
  const bound = binding.compressBound(src.length);
  if (compressed.length < bound) compressed = Buffer.allocUnsafeSlow(bound);
  return compressed.subarray(0, cctx.compress(compressed, src, level));
}

/** The `size` bytes that `frame` holds: a view valid until the next call on this thread. Throws if it holds other than that. */
export function decompressBlock(frame: Uint8Array, size: number): Buffer {
  dctx ??= new binding.DCtx();
  if (decompressed.length < size) decompressed = Buffer.allocUnsafeSlow(size);
  const got = dctx.decompress(decompressed.subarray(0, size), frame);
  if (got !== size) throw new Error(`the block holds ${got} bytes, its header says ${size}`);
  return decompressed.subarray(0, size);
}
